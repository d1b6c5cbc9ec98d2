import { describe, expect, it } from "vitest";
import { CATALOGS, fromAcceptLanguage, translator } from "@/lib/i18n/config";

function leaves(obj: unknown, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

describe("message catalogs", () => {
  const en = leaves(CATALOGS.en);
  const zh = leaves(CATALOGS.zh);

  it("have the same keys", () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it("use the same placeholders in every translation", () => {
    for (const [key, text] of en) {
      const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(vars(zh.get(key) ?? ""), key).toEqual(vars(text));
    }
  });

  it("translate the navigation into Chinese (not copies of English)", () => {
    for (const key of ["nav.models", "nav.playground", "nav.keys", "nav.usage", "nav.admin"]) {
      expect(zh.get(key)).not.toBe(en.get(key));
      expect(zh.get(key)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it("interpolates variables", () => {
    const t = translator(CATALOGS.en);
    expect(t("user.signedInAs", { email: "a@b.co" })).toBe("Signed in as a@b.co");
    expect(translator(CATALOGS.zh)("auth.passwordHint", { min: 8 })).toBe("至少 8 个字符。");
  });

  it.each([
    [null, "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh"],
    ["en-US,en;q=0.9", "en"],
    ["fr-FR,zh-TW;q=0.5", "zh"],
    ["de-DE", "en"],
  ])("Accept-Language %s → %s", (header, locale) => {
    expect(fromAcceptLanguage(header)).toBe(locale);
  });
});
