import "server-only";
import fs from "node:fs";
import { CATALOG, type CatalogEntry } from "@/lib/models/catalog";
import { weightPath, type WeightKey } from "@/lib/models/weights";
import { db, type Prisma } from "./client";

/** Plain data (no classes, no undefined) as a JSON column value. */
function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

function fileSize(key: WeightKey): number | null {
  try {
    return fs.statSync(weightPath(key)).size;
  } catch {
    return null;
  }
}

/** A built-in's files as the Model row lists them: npm-relative paths (what operators can look up). */
function files(entry: CatalogEntry) {
  return entry.files.map((f) => {
    const p = weightPath(f.key as WeightKey);
    return { key: f.key, role: f.role, path: p.slice(p.indexOf("node_modules")), bytes: fileSize(f.key as WeightKey) };
  });
}

/**
 * Mirrors the typed catalog into the registry at start: each built-in is a read-only Model row with one version
 * carrying all the traffic. Descriptive fields follow the code; what admins decide (enabled, task default) is kept.
 */
export async function syncCatalog(): Promise<void> {
  for (const e of CATALOG) {
    const io = e.files.flatMap((f) => (f.spec ? [f.spec] : []));
    const data = {
      family: e.family,
      task: e.task,
      version: e.version,
      variant: e.variant,
      displayName: e.displayName,
      description: e.description,
      license: e.license,
      source: e.source,
      files: json(files(e)),
      inputSchema: json(io.map((s) => ({ weight: s.key, inputs: s.inputs }))),
      outputSchema: json(io.map((s) => ({ weight: s.key, outputs: s.outputs }))),
      options: json(e.defaults),
      builtIn: true,
    };
    const version = {
      files: json(files(e)),
      signature: json(io.map((s) => ({ key: s.key, inputs: s.inputs, outputs: s.outputs }))),
      options: json(e.defaults),
      status: "ready",
      trafficPercent: 100,
    };
    await db().$transaction([
      db().model.upsert({ where: { id: e.id }, create: { id: e.id, ...data, isDefault: Boolean(e.isTaskDefault) }, update: data }),
      db().modelVersion.upsert({
        where: { modelId_version: { modelId: e.id, version: e.version } },
        create: { modelId: e.id, version: e.version, ...version },
        update: version,
      }),
    ]);
  }
}

type ModelRows = Awaited<ReturnType<typeof readModelRows>>;

function readModelRows() {
  return db().model.findMany({ orderBy: [{ task: "asc" }, { id: "asc" }], include: { versions: { orderBy: { createdAt: "asc" } } } });
}

/**
 * Every inference request resolves its model against these rows (enabled, task default, versions and their
 * traffic). Rows that change only by admin action: read at most once a second per process; this process's own
 * writes refresh at once, and other instances see a change within a second.
 */
const ROWS_TTL_MS = 1_000;
let rowsCache: { at: number; rows: Promise<ModelRows> } | undefined;

export function invalidateModelRows(): void {
  rowsCache = undefined;
}

export function listModelRows(): Promise<ModelRows> {
  if (!rowsCache || Date.now() - rowsCache.at > ROWS_TTL_MS) {
    const rows = readModelRows();
    rows.catch(() => (rowsCache = undefined));
    rowsCache = { at: Date.now(), rows };
  }
  return rowsCache.rows;
}

export async function findModelRow(id: string) {
  return (await listModelRows()).find((r) => r.id === id) ?? null;
}

export async function setModelEnabled(id: string, enabled: boolean) {
  const row = await db().model.update({ where: { id }, data: { enabled } });
  invalidateModelRows();
  return row;
}

export type ModelRow = Omit<ModelRows[number], "versions">;
export type ModelVersionRow = ModelRows[number]["versions"][number];
