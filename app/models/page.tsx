import { SectionPlaceholder } from "../_components/section-placeholder";

export const metadata = { title: "Models" };

export default function ModelsPage() {
  return <SectionPlaceholder section="models" />;
}
