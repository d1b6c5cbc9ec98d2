import { describe, expect, it } from "vitest";
import { canAccess, isAdmin, type Area, type Role } from "@/lib/auth/roles";
import { safeCallback } from "@/app/_components/auth-form";

describe("role checks", () => {
  const table: { role: Role | null; area: Area; ok: boolean }[] = [
    { role: null, area: "public", ok: true },
    { role: null, area: "member", ok: false },
    { role: null, area: "admin", ok: false },
    { role: "USER", area: "public", ok: true },
    { role: "USER", area: "member", ok: true },
    { role: "USER", area: "admin", ok: false },
    { role: "ADMIN", area: "member", ok: true },
    { role: "ADMIN", area: "admin", ok: true },
  ];
  it.each(table)("$role in $area → $ok", ({ role, area, ok }) => {
    expect(canAccess(role, area)).toBe(ok);
  });

  it("isAdmin", () => {
    expect(isAdmin({ role: "ADMIN" })).toBe(true);
    expect(isAdmin({ role: "USER" })).toBe(false);
    expect(isAdmin(null)).toBe(false);
  });
});

describe("sign-in callback URLs stay on this site", () => {
  it.each([
    ["/playground", "/playground"],
    ["/models?task=ocr", "/models?task=ocr"],
    ["https://evil.example/", "/"],
    ["//evil.example/path", "/"],
    ["/\\evil.example", "/"],
    ["javascript:alert(1)", "/"],
    [undefined, "/"],
  ])("%s → %s", (input, out) => {
    expect(safeCallback(input)).toBe(out);
  });
});
