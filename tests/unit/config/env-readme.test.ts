import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ENV_VARS } from "@/lib/config/env";

const ROOT = path.resolve(__dirname, "../../..");

/** The README's "Environment variables" table: variable names (a row may name several) → its Default cell. */
function readmeTable(): Map<string, string> {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## Environment variables\s*$/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error("README.md has no '## Environment variables' section");
  const rows = new Map<string, string>();
  for (const line of section.split("\n")) {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    if (cells.length < 3 || cells[0] === "Variable" || /^-+$/.test(cells[0])) continue;
    const names = [...cells[0].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]);
    for (const n of names) rows.set(n, cells[1]);
  }
  return rows;
}

/** A Default cell that states one literal value: "`30000`" → "30000"; anything else (prose) → null. */
function literal(cell: string): string | null {
  return cell.match(/^`([^`]+)`$/)?.[1] ?? null;
}

const sameValue = (a: string, b: string) => a === b || (Number.isFinite(Number(a)) && Number(a) === Number(b));

describe("lib/config/env ↔ README environment table", () => {
  const table = readmeTable();
  const documented = ENV_VARS.filter((v) => !v.internal);

  it("the README table is found and non-trivial", () => {
    expect(table.size).toBeGreaterThan(20);
  });

  it("every variable the module parses is in the README table", () => {
    const missing = documented.filter((v) => !table.has(v.name)).map((v) => v.name);
    expect(missing, "add these to README.md's Environment variables table").toEqual([]);
  });

  it("every variable in the README table is parsed by the module", () => {
    const known = new Set(ENV_VARS.map((v) => v.name));
    const extra = [...table.keys()].filter((n) => !known.has(n));
    expect(extra, "add these to lib/config/env.ts (or remove them from the README)").toEqual([]);
  });

  it("internal variables (set by Next.js) are not documented as settings", () => {
    for (const v of ENV_VARS.filter((x) => x.internal)) expect(table.has(v.name), v.name).toBe(false);
  });

  it("defaults agree: a literal default in the module is the README's default, and vice versa", () => {
    const mismatches: string[] = [];
    for (const v of documented) {
      const cell = table.get(v.name);
      if (cell === undefined) continue;
      const readmeDefault = literal(cell);
      if (v.default === null && readmeDefault !== null) mismatches.push(`${v.name}: README says \`${readmeDefault}\`, module has no literal default`);
      if (v.default !== null && (readmeDefault === null || !sameValue(v.default, readmeDefault)))
        mismatches.push(`${v.name}: module default ${v.default}, README default cell "${cell}"`);
    }
    expect(mismatches).toEqual([]);
  });

  it("names are unique", () => {
    const names = ENV_VARS.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
