import "server-only";
import GitHubProvider from "next-auth/providers/github";
import { env } from "@/lib/config/env";

/** One address from GitHub's `GET /user/emails`: only `verified` ones may identify a Pareto account. */
export interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

/** The profile next-auth hands to the signIn callback, with the account's email addresses as GitHub reports them. */
export interface GitHubProfile {
  id: number | string;
  login?: string;
  name?: string | null;
  email?: string | null;
  avatar_url?: string | null;
  pareto_emails?: GitHubEmail[];
}

const trim = (u: string) => u.replace(/\/+$/, "");

/**
 * next-auth's GitHub provider with its endpoints taken from GITHUB_URL / GITHUB_API_URL (github.com by default;
 * a GitHub Enterprise Server sets its own), and the user's email list always fetched: the profile's `email` alone
 * does not say whether GitHub verified it, and linking to an existing account needs that (lib/auth/oauth.ts).
 */
export function githubProvider() {
  const web = trim(env.githubUrl());
  const api = trim(env.githubApiUrl());
  return GitHubProvider({
    clientId: env.githubId()!,
    clientSecret: env.githubSecret()!,
    issuer: `${web}/login/oauth`,
    authorization: { url: `${web}/login/oauth/authorize`, params: { scope: "read:user user:email" } },
    token: `${web}/login/oauth/access_token`,
    userinfo: {
      url: `${api}/user`,
      async request({ client, tokens }) {
        const profile = (await client.userinfo(tokens.access_token!)) as unknown as GitHubProfile;
        const res = await fetch(`${api}/user/emails`, { headers: { Authorization: `token ${tokens.access_token}`, accept: "application/json" } });
        const emails = res.ok ? ((await res.json()) as unknown) : [];
        profile.pareto_emails = Array.isArray(emails)
          ? emails
              .filter((e): e is GitHubEmail => typeof e === "object" && e !== null && typeof (e as GitHubEmail).email === "string")
              .map((e) => ({ email: e.email.toLowerCase(), primary: e.primary === true, verified: e.verified === true }))
          : [];
        if (!profile.email) profile.email = (profile.pareto_emails.find((e) => e.primary) ?? profile.pareto_emails[0])?.email ?? null;
        return profile as never;
      },
    },
  });
}
