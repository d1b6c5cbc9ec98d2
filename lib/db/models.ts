import "server-only";
import fs from "node:fs";
import { CATALOG, WEIGHT_SPECS, type CatalogEntry } from "@/lib/models/catalog";
import { weightPath } from "@/lib/models/weights";
import { db, type Prisma } from "./client";

function files(entry: CatalogEntry) {
  return entry.weights.map((key) => {
    const p = weightPath(key);
    let bytes: number | null = null;
    try {
      bytes = fs.statSync(p).size;
    } catch {
      bytes = null;
    }
    return { key, path: p.slice(p.indexOf("node_modules")), bytes };
  });
}

/** Plain data (no classes, no undefined) as a JSON column value. */
function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

/**
 * Mirrors the typed catalog into the Model table at start: descriptive fields follow the code; what admins
 * decide (enabled, task default) is kept.
 */
export async function syncCatalog(): Promise<void> {
  for (const e of CATALOG) {
    const io = e.weights.map((w) => WEIGHT_SPECS[w]).filter(Boolean);
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
      inputSchema: json(io.map((s) => ({ weight: s!.key, inputs: s!.inputs }))),
      outputSchema: json(io.map((s) => ({ weight: s!.key, outputs: s!.outputs }))),
      options: json(e.defaults),
    };
    await db().model.upsert({ where: { id: e.id }, create: { id: e.id, ...data, isDefault: Boolean(e.isTaskDefault) }, update: data });
  }
}

type ModelRows = Awaited<ReturnType<typeof readModelRows>>;

function readModelRows() {
  return db().model.findMany({ orderBy: [{ task: "asc" }, { id: "asc" }] });
}

/**
 * Every inference request resolves its model against these rows (enabled, task default). Seven rows that change
 * only by admin action: read at most once a second per process; this process's own writes refresh at once, and
 * other instances see a change within a second.
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
