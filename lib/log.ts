import { env } from "@/lib/config/env";

/** Structured one-line JSON logs. Never pass secrets (keys, passwords, tokens) in fields. */
type Level = "debug" | "info" | "warn" | "error";

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (level === "debug" && !env.debug()) return;
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields });
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}
