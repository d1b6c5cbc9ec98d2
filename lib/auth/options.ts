import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import { env } from "@/lib/config/env";
import { requestClientAddress } from "@/lib/config/request-client";
import { writeAudit } from "@/lib/db/audit";
import { findUserByEmail } from "@/lib/db/users";
import { linkOAuthUser } from "./oauth";
import { dummyHash, verifyPassword } from "./password";
import { authSecret } from "./secret";
import { safeRedirect } from "./callback-url";
import { signinThrottle } from "./throttle";

/**
 * The client's address for throttling and audit: the socket peer, or what a trusted proxy (PARETO_TRUSTED_PROXIES)
 * says it saw — never a header the client wrote itself (lib/config/request-client.ts).
 */
export function clientIp(headers: Record<string, string | string[] | undefined> | Headers | undefined): string | null {
  return requestClientAddress(headers);
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
        // Counted before the password is checked, atomically: parallel guesses cannot all slip under the limit.
        const gate = await signinThrottle().admit(email, clientIp(req?.headers));
        if (!gate.admitted) throw new Error("throttled");
        const user = await findUserByEmail(email);
        // Same work for unknown emails as for wrong passwords, so timing doesn't reveal which emails exist.
        const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
        const right = Boolean(user?.passwordHash) && ok;
        await gate.settle(right);
        if (!user || !right) return null;
        if (user.disabled) throw new Error("disabled");
        return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale };
      },
    }),
  ];
  if (githubEnabled()) {
    list.push(GitHubProvider({ clientId: env.githubId()!, clientSecret: env.githubSecret()! }));
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
    // Only same-origin paths after URL normalisation (lib/auth/callback-url.ts), never next-auth's prefix check.
    redirect({ url, baseUrl }) {
      return safeRedirect(url, baseUrl);
    },
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
