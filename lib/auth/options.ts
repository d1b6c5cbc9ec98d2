import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/lib/config/env";
import { requestClientAddress } from "@/lib/config/request-client";
import { writeAudit } from "@/lib/db/audit";
import { bumpSessionVersion, findUserByEmail } from "@/lib/db/users";
import { log } from "@/lib/log";
import { githubProvider } from "./github";
import { resolveOAuthSignIn } from "./oauth";
import { SessionRevokedError, sessionStillValid } from "./session-version";
import { dummyHash, verifyPassword } from "./password";
import { authSecret } from "./secret";
import { safeRedirect } from "./callback-url";
import { signinThrottle } from "./throttle";

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
        const gate = await signinThrottle().admit(email, requestClientAddress(req?.headers));
        if (!gate.admitted) throw new Error("throttled");
        const user = await findUserByEmail(email);
        // Same work for unknown emails as for wrong passwords, so timing doesn't reveal which emails exist.
        const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password);
        const right = Boolean(user?.passwordHash) && ok;
        await gate.settle(right);
        if (!user || !right) return null;
        if (user.disabled) throw new Error("disabled");
        return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale, sessionVersion: user.sessionVersion };
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
    // Only same-origin paths after URL normalisation (lib/auth/callback-url.ts), never next-auth's prefix check.
    redirect({ url, baseUrl }) {
      return safeRedirect(url, baseUrl);
    },
    async signIn({ user, account, profile }) {
      if (account?.provider === "github") {
        const outcome = await resolveOAuthSignIn(account, profile, user);
        if ("redirect" in outcome) return outcome.redirect;
        Object.assign(user, outcome.user);
      }
      return true;
    },
    // Runs whenever a session cookie is read (pages, API routes, /api/auth/session). A cookie issued before the
    // user's sessions were ended (sign-out, password change, disabled) carries an older version: it is refused and
    // next-auth clears it. One read by primary key per request.
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.role = user.role ?? "USER";
        token.locale = user.locale ?? "en";
        token.sv = user.sessionVersion ?? 0;
        return token;
      }
      if (token.uid && !(await sessionStillValid(token.uid, token.sv ?? 0))) throw new SessionRevokedError();
      return token;
    },
    async session({ session, token }) {
      if (token.uid) {
        session.user = { ...session.user, id: token.uid, role: token.role ?? "USER", locale: token.locale ?? "en", sv: token.sv ?? 0 };
      }
      return session;
    },
  },
  logger: {
    // A refused (ended) session is expected, not an error worth a stack trace in the log.
    error(code, metadata) {
      const err = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
      if (err instanceof Error && err.name === "SessionRevokedError") return log("debug", "ended session refused", { code });
      log("error", `next-auth: ${code}`, { error: err instanceof Error ? err.message : String(err ?? "") });
    },
    warn(code) {
      log("warn", `next-auth: ${code}`);
    },
    debug() {},
  },
  events: {
    async signIn({ user, account }) {
      await writeAudit({ actorId: user.id, actorEmail: user.email, action: "auth.signin", details: { provider: account?.provider ?? "credentials" } });
    },
    // Sign-out ends every session of the user, not only this browser's cookie: a copy of it, or another device's,
    // would otherwise stay valid until it expires (30 days).
    async signOut({ token }) {
      const uid = (token as { uid?: unknown } | null)?.uid;
      if (typeof uid !== "string") return;
      await bumpSessionVersion(uid);
      await writeAudit({ actorId: uid, action: "auth.signout", targetType: "user", targetId: uid });
    },
  },
};
