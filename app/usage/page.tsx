import { requireUser } from "@/lib/auth/session";
import { UsageDashboard } from "./_components/usage-dashboard";

export const metadata = { title: "Usage" };

export default async function Page() {
  await requireUser("/usage");
  return <UsageDashboard />;
}
