import "server-only";
import crypto from "node:crypto";
import { authSecret } from "./secret";

/**
 * A short-lived, signed note that "GitHub identity P wants to join account U": carried in the link page's URL
 * from the GitHub callback to the password step (lib/auth/github-link.ts). It grants nothing by itself — the
 * account's password must still be proved — and it cannot be altered or reused after it expires.
 */
export interface LinkClaim {
  /** Pareto user id the identity wants to join. */
  uid: string;
  email: string;
  provider: "github";
  providerAccountId: string;
  scope: string | null;
  tokenType: string | null;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const TTL_S = 10 * 60;
const PURPOSE = "pareto.oauth-link.v1";

function mac(payload: string): string {
  return crypto.createHmac("sha256", authSecret()).update(`${PURPOSE}.${payload}`).digest("base64url");
}

export function signLinkClaim(claim: Omit<LinkClaim, "exp">): string {
  const payload = Buffer.from(JSON.stringify({ ...claim, exp: Math.floor(Date.now() / 1000) + TTL_S })).toString("base64url");
  return `${payload}.${mac(payload)}`;
}

/** The claim when the token is intact and not expired; null otherwise. */
export function readLinkClaim(token: string): LinkClaim | null {
  const [payload, sig, extra] = token.split(".");
  if (!payload || !sig || extra !== undefined) return null;
  const want = Buffer.from(mac(payload));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) return null;
  try {
    const claim = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as LinkClaim;
    if (typeof claim.uid !== "string" || typeof claim.providerAccountId !== "string" || claim.provider !== "github") return null;
    return claim.exp * 1000 > Date.now() ? claim : null;
  } catch {
    return null;
  }
}
