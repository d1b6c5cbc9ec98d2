import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/config/env";
import { writeAudit } from "@/lib/db/audit";
import { findUserByEmail } from "@/lib/db/users";
import { githubProvider } from "./github";
import { linkOAuthUser } from "./oauth";
import { dummyHash, verifyPassword } from "./password";
import { authSecret } from "./secret";
import { clearSigninFailures, recordSigninFailure, signinBlockedFor } from "./throttle";

export function clientIp(headers: Record<string, string | string[] | undefined> | Headers | undefined): string | null {
  const get = (k: string) => (headers instanceof Headers ? headers.get(k) : (headers?.[k] as string | undefined));
  const fwd = get("x-forwarded-for");
  return (fwd ? fwd.split(",")[0].trim() : get("x-real-ip")) ?? null;
}

export function githubEnabled(): boolean {
  return Boolean(env.githubId() && env.githubSecret());
}

function providers(): NextAuthOptions["providers"] {
  const list: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, req) {
        const email = String(credentials?.email ?? "").trim().toLowerCase().slice(0, 320);
        const password = String(credentials?.password ?? "").slice(0, 1024);
        if (!email || !password) return null;
        const ip = clientIp(req?.headers);
        if ((await signinBlockedFor(email, ip)) > 0) throw new Error("throttled");
        const user = await findUserByEmail(email);
        // Same work for unknown emails as for wrong passwords, so timing doesn't reveal which emails exist.
        const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
        if (!user || !user.passwordHash || !ok) {
          await recordSigninFailure(email, ip);
          return null;
        }
        if (user.disabled) throw new Error("disabled");
        await clearSigninFailures(email);
        return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale };
      },
    }),
  ];
  if (githubEnabled()) {
    list.push(githubProvider());
  }
  return list;
}

export const authOptions: NextAuthOptions = {
  // Stateless JWT sessions: the credentials provider requires them, and they need no shared session store
  // when several instances run. Pages re-read the user from the database on every request (lib/auth/session.ts).
  session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
  get secret() {
    return authSecret();
  },
  get providers() {
    return providers();
  },
  pages: { signIn: "/signin", error: "/signin" },
  callbacks: {
    async signIn({ user, account, profile }) {
      if (account?.provider === "github") {
        const linked = await linkOAuthUser(account, profile, user);
        if (!linked) return false;
        Object.assign(user, linked);
      }
      return true;
    },
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role ?? "USER";
        token.locale = user.locale ?? "en";
      }
      return token;
    },
    async session({ session, token }) {
      if (token.uid) {
        session.user = { ...session.user, id: token.uid, role: token.role ?? "USER", locale: token.locale ?? "en" };
      }
      return session;
    },
  },
  events: {
    async signIn({ user, account }) {
      await writeAudit({ actorId: user.id, actorEmail: user.email, action: "auth.signin", details: { provider: account?.provider ?? "credentials" } });
    },
  },
};
