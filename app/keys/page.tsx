import { requireUser } from "@/lib/auth/session";
import { KeysManager } from "./_components/keys-manager";

export const metadata = { title: "API keys" };

export default async function KeysPage() {
  await requireUser("/keys");
  return <KeysManager />;
}
