/**
 * The layer rules of .dependency-cruiser.cjs bite: a throw-away project with the same folders imports upward, opens
 * the database or ONNX Runtime from the wrong place and imports in a ring, and dependency-cruiser must name each
 * of those — and nothing for the imports the layering allows. (`npm run lint` runs the same rules on lib/ and app/.)
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../../..");

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

/** Files of the fixture project: path → source. */
const FILES: Record<string, string> = {
  "lib/api/errors.ts": `export const code = "x";\n`,
  "lib/api/ok.ts": `import { pick } from "@/lib/selection/pick";\nexport const ok = pick;\n`,
  "lib/selection/pick.ts": `import { limit } from "@/lib/metering/limit";\nexport const pick = limit;\n`,
  "lib/selection/up.ts": `import { code } from "@/lib/api/errors";\nexport const up = code;\n`,
  "lib/models/up-type.ts": `import type { Row } from "@/lib/db/rows";\nexport type Up = Row;\n`,
  "lib/db/rows.ts": `export interface Row { id: string }\n`,
  "lib/db/client.ts": `import { PrismaClient } from "@prisma/client";\nexport const db = () => new PrismaClient();\n`,
  "lib/metering/limit.ts": `import { key } from "@/lib/keys/key";\nexport const limit = key;\n`,
  "lib/metering/raw-sql.ts": `import { db } from "@/lib/db/client";\nexport const raw = db;\n`,
  "lib/auth/prisma.ts": `import { PrismaClient } from "@prisma/client";\nexport const p = PrismaClient;\n`,
  "lib/keys/key.ts": `export const key = 1;\n`,
  "lib/keys/ring-a.ts": `import { b } from "./ring-b";\nexport const a = () => b;\n`,
  "lib/keys/ring-b.ts": `import { a } from "./ring-a";\nexport const b = () => a;\n`,
  "lib/api/ort.ts": `import * as ort from "onnxruntime-node";\nexport const o = ort;\n`,
  "lib/runtime/ort.ts": `import * as ort from "onnxruntime-node";\nexport const o = ort;\n`,
  "lib/log.ts": `import { page } from "@/app/page";\nexport const log = page;\n`,
  "app/page.ts": `import { ok } from "@/lib/api/ok";\nexport const page = ok;\n`,
};

let dir: string;
let violations: Violation[];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-layers-"));
  for (const [file, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { moduleResolution: "bundler", module: "esnext", paths: { "@/*": ["./*"] } } }));
  // Bare imports (@prisma/client, onnxruntime-node) resolve to the real packages, as in the project.
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  let out: string;
  try {
    out = execFileSync(process.execPath, [path.join(root, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"), "lib", "app", "--config", path.join(root, ".dependency-cruiser.cjs"), "--output-type", "json"], {
      cwd: dir,
      encoding: "utf8",
    });
  } catch (e) {
    // Violations of severity "error" make depcruise exit non-zero; the report is on stdout all the same.
    out = (e as { stdout: string }).stdout;
  }
  violations = (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const named = (rule: string) =>
  violations
    .filter((v) => v.rule.name === rule)
    .map((v) => `${v.from} → ${v.to}`)
    .sort();

describe("layer rules (.dependency-cruiser.cjs)", () => {
  it("refuses imports that point up, type-only ones too", () => {
    expect(named("layer-features")).toEqual(["lib/selection/up.ts → lib/api/errors.ts"]);
    expect(named("layer-models")).toEqual(["lib/models/up-type.ts → lib/db/rows.ts"]);
    expect(named("layer-base")).toEqual(["lib/log.ts → app/page.ts"]);
    expect(named("lib-not-to-app")).toEqual(["lib/log.ts → app/page.ts"]);
  });

  it("keeps Prisma and the database client in lib/db, and onnxruntime-node in lib/runtime", () => {
    expect(named("database-only-in-lib-db")).toEqual([expect.stringMatching(/^lib\/auth\/prisma\.ts → .*node_modules\/@prisma\/client\//)]);
    expect(named("db-client-only-in-lib-db")).toEqual(["lib/metering/raw-sql.ts → lib/db/client.ts"]);
    expect(named("onnxruntime-only-in-runtime")).toEqual([expect.stringMatching(/^lib\/api\/ort\.ts → .*node_modules\/onnxruntime-node\//)]);
  });

  it("finds import rings", () => {
    // A ring is reported once, from whichever of its modules is met first.
    expect(named("no-circular")).toHaveLength(1);
    expect(named("no-circular")[0]).toMatch(/^lib\/keys\/ring-[ab]\.ts → lib\/keys\/ring-[ab]\.ts$/);
  });

  it("allows imports downward and between modules of one tier", () => {
    const allowed = ["lib/api/ok.ts", "lib/selection/pick.ts", "lib/metering/limit.ts", "lib/runtime/ort.ts", "lib/db/client.ts", "app/page.ts"];
    expect(violations.filter((v) => allowed.includes(v.from))).toEqual([]);
  });
});
