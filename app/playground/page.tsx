import { requireUser } from "@/lib/auth/session";
import { SectionPlaceholder } from "../_components/section-placeholder";

export const metadata = { title: "Playground" };

export default async function Page() {
  await requireUser("/playground");
  return <SectionPlaceholder section="playground" />;
}
