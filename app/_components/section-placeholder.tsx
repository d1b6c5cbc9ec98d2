import { getT } from "@/lib/i18n/server";

type Section = "models" | "playground" | "keys" | "usage" | "admin";

/** A section that later work fills: it renders and says what it will hold, with no invented data. */
export async function SectionPlaceholder({ section }: { section: Section }) {
  const { t } = await getT();
  return (
    <section aria-labelledby="section-title" data-testid={`section-${section}`}>
      <h1 id="section-title" className="text-2xl font-semibold tracking-tight">{t(`sections.${section}.title`)}</h1>
      <div className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6">
        <p className="text-sm font-medium text-slate-500">{t("sections.comingSoon")}</p>
        <p className="mt-2 max-w-3xl text-slate-700">{t(`sections.${section}.description`)}</p>
      </div>
    </section>
  );
}
