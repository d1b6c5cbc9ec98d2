import { requireUser } from "@/lib/auth/session";
import { SectionPlaceholder } from "../_components/section-placeholder";

export const metadata = { title: "Keys" };

export default async function Page() {
  await requireUser("/keys");
  return <SectionPlaceholder section="keys" />;
}
