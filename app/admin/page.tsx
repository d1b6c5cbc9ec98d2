import { requireAdmin } from "@/lib/auth/session";
import { SectionPlaceholder } from "../_components/section-placeholder";

export const metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireAdmin("/admin");
  return <SectionPlaceholder section="admin" />;
}
