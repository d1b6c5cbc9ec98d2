import { describe, expect, it } from "vitest";
import { CATALOGS, translator, type MessageKey } from "@/lib/i18n/config";
import { errorI18n, JOB_ERROR_CODES } from "@/lib/jobs/failure";

/** Every code a job can end with is shown translated in the portal: jobs.error.<code>, or jobs.error.other naming it. */
describe("job error messages", () => {
  it.each(["en", "zh"] as const)("every job error code has a %s message", (locale) => {
    const t = translator(CATALOGS[locale]);
    for (const code of JOB_ERROR_CODES) {
      const m = errorI18n(code);
      expect(m.key).toBe(`jobs.error.${code}`);
      const text = t(m.key as MessageKey);
      expect(text, code).not.toBe(m.key);
      expect(text.length, code).toBeGreaterThan(5);
    }
    const other = errorI18n("some_new_code");
    expect(other).toEqual({ key: "jobs.error.other", params: { code: "some_new_code" } });
    expect(t(other.key as MessageKey, { code: "some_new_code" })).toContain("some_new_code");
  });
});
