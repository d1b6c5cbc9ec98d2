import { githubEnabled } from "@/lib/auth/options";
import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { AuthForm } from "../_components/auth-form";

export const metadata = { title: "Sign in" };

export default async function Page({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  return <AuthForm mode="signin" callbackUrl={callbackUrl} github={githubEnabled()} minPassword={PASSWORD_MIN_LENGTH} oauthError={error?.slice(0, 64)} />;
}
