import { requireUser } from "@/lib/auth/session";
import { KeysManager } from "./_components/keys-manager";
import { WebhookSecret } from "./_components/webhook-secret";

export const metadata = { title: "API keys" };

export default async function KeysPage() {
  await requireUser("/keys");
  return (
    <div className="space-y-10">
      <KeysManager />
      <WebhookSecret />
    </div>
  );
}
