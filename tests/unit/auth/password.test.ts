import { describe, expect, it } from "vitest";
import { dummyHash, hashPassword, verifyPassword } from "@/lib/auth/password";

describe("password hashing", () => {
  it("produces argon2id hashes with a per-hash salt", async () => {
    const a = await hashPassword("correct horse battery staple");
    const b = await hashPassword("correct horse battery staple");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct horse");
  });

  it.each([
    { name: "right password", attempt: "correct horse battery staple", ok: true },
    { name: "wrong password", attempt: "correct horse battery stapler", ok: false },
    { name: "empty", attempt: "", ok: false },
    { name: "unicode lookalike", attempt: "correct horse battery staplе" /* Cyrillic е */, ok: false },
  ])("verify: $name → $ok", async ({ attempt, ok }) => {
    const h = await hashPassword("correct horse battery staple");
    expect(await verifyPassword(h, attempt)).toBe(ok);
  });

  it("treats a malformed stored hash as a mismatch, not a crash", async () => {
    expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
  });

  it("has a real dummy hash for unknown users", async () => {
    const d = await dummyHash();
    expect(d).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(d, "guess")).toBe(false);
  });
});
