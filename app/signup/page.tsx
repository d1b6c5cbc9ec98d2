import { githubEnabled } from "@/lib/auth/options";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { signupMode } from "@/lib/auth/signup-policy";
import { env } from "@/lib/config/env";
import { getT } from "@/lib/i18n/server";
import { AuthForm } from "../_components/auth-form";

export const metadata = { title: "Sign up" };

export default async function Page({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; invite?: string }> }) {
  const { callbackUrl, invite } = await searchParams;
  const mode = signupMode();
  if (mode === "closed" || (mode === "invite" && !invite)) {
    const { t } = await getT();
    return (
      <div className="mx-auto max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200" data-testid={mode === "closed" ? "signup-closed" : "signup-invite-only"}>
        <h1 className="text-2xl font-semibold">{t("auth.signUpTitle")}</h1>
        <p className="mt-4 text-slate-700">{t(mode === "closed" ? "auth.signupClosed" : "auth.inviteOnly")}</p>
      </div>
    );
  }
  return (
    <AuthForm
      mode="signup"
      callbackUrl={callbackUrl}
      github={githubEnabled() && mode === "open"}
      minPassword={PASSWORD_MIN_LENGTH}
      invite={invite?.slice(0, 200)}
      firstUserHint={mode === "open" && !env.adminEmail()}
    />
  );
}
