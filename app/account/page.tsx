import { PASSWORD_MIN_LENGTH } from "@/lib/auth/password";
import { requireUser } from "@/lib/auth/session";
import { PasswordForm } from "./password-form";

export const metadata = { title: "Account" };

export default async function AccountPage() {
  await requireUser("/account");
  return <PasswordForm minPassword={PASSWORD_MIN_LENGTH} />;
}
