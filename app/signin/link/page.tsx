import { linkTarget } from "@/lib/auth/github-link";
import { getT } from "@/lib/i18n/server";
import { LinkForm } from "./link-form";

export const metadata = { title: "Link your GitHub account" };

/** The step after a GitHub sign-in whose verified email already has an account: prove that account's password once. */
export default async function Page({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token = "" } = await searchParams;
  const target = await linkTarget(token.slice(0, 4000));
  if (!target) {
    const { t } = await getT();
    return (
      <div className="mx-auto max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200" data-testid="link-invalid">
        <h1 className="text-2xl font-semibold">{t("auth.linkTitle")}</h1>
        <p className="mt-4 text-slate-700">{t("auth.linkInvalid")}</p>
      </div>
    );
  }
  return <LinkForm token={token} email={target.email} />;
}
