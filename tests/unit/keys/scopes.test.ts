import { describe, expect, it } from "vitest";
import { allows, scopesSchema, usageView, type Permission } from "@/lib/keys/scopes";

// Issue 11 item 13: `usage:read` is its own permission; `inference` no longer implies it.
const cases: { scopes: string[]; need: Permission; ok: boolean }[] = [
  { scopes: ["inference"], need: "inference", ok: true },
  { scopes: ["inference"], need: "read", ok: true },
  { scopes: ["inference"], need: "usage:read", ok: false },
  { scopes: ["read"], need: "usage:read", ok: false },
  { scopes: ["read"], need: "inference", ok: false },
  { scopes: ["usage:read"], need: "usage:read", ok: true },
  { scopes: ["usage:read"], need: "read", ok: false },
  { scopes: ["usage:read"], need: "inference", ok: false },
  { scopes: ["inference", "usage:read", "model:silero-vad-v5"], need: "usage:read", ok: true },
];

describe("key scopes", () => {
  it.each(cases)("$scopes needs $need → $ok", ({ scopes, need, ok }) => {
    expect(allows(scopes, need)).toBe(ok);
  });

  it("a restricted key's usage view is its own key; an unrestricted key's the account", () => {
    expect(usageView({ id: "k1", scopes: ["inference", "usage:read", "model:silero-vad-v5"] })).toEqual({ onlyKey: "k1" });
    expect(usageView({ id: "k1", scopes: ["usage:read", "task:ocr"] })).toEqual({ onlyKey: "k1" });
    expect(usageView({ id: "k1", scopes: ["inference", "usage:read"] })).toEqual({});
    expect(usageView(undefined)).toEqual({});
  });

  it.each([
    [["usage:read"], true],
    [["inference", "usage:read", "task:vad"], true],
    [["usage:write"], false],
    [["model:silero-vad-v5"], false],
    [["usage"], false],
  ])("scopes %j valid: %s", (scopes, valid) => {
    expect(scopesSchema.safeParse(scopes).success).toBe(valid);
  });
});
