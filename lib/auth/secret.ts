import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/config/env";

let cached: string | undefined;

/**
 * NEXTAUTH_SECRET when set (required when several instances serve one deployment); otherwise a random secret
 * generated once and kept in the data folder, so a fresh install works without configuration and sessions
 * survive restarts.
 */
export function authSecret(): string {
  if (cached) return cached;
  const fromEnv = env.authSecret();
  if (fromEnv) return (cached = fromEnv);
  const file = path.join(env.dataDir(), "auth-secret");
  try {
    cached = fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = crypto.randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret, { flag: "wx", mode: 0o600 });
      cached = secret;
    } catch {
      cached = fs.readFileSync(file, "utf8").trim(); // another process created it first
    }
  }
  return cached;
}
