import { requireUser } from "@/lib/auth/session";
import { SectionPlaceholder } from "../_components/section-placeholder";

export const metadata = { title: "Usage" };

export default async function Page() {
  await requireUser("/usage");
  return <SectionPlaceholder section="usage" />;
}
