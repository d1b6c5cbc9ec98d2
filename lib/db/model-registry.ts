import "server-only";
/** Writes to the model registry (uploaded models and their versions). Reads go through listModelRows (models.ts). */
import { db, type Prisma } from "./client";
import { invalidateModelRows } from "./models";

/** Plain data (no classes, no undefined) as a JSON column value. */
function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

export class RegistryConflict extends Error {}

function conflictOr(e: unknown, message: string): never {
  if ((e as { code?: string }).code === "P2002") throw new RegistryConflict(message);
  throw e;
}

export interface NewModel {
  id: string;
  task: string;
  family: string;
  displayName: string;
  description: string;
  license: string;
  source: string;
  createdById: string | null;
  createdByEmail: string | null;
  sticky: boolean;
}

export interface NewVersion {
  version: string;
  files: unknown;
  signature: unknown;
  options: unknown;
  status: string;
  trafficPercent: number;
  evalSha256: string | null;
  evalMetric: string | null;
  createdById: string | null;
  createdByEmail: string | null;
}

/** A new uploaded model with its first version, in one transaction. Throws RegistryConflict when the id is taken. */
export async function createUploadedModel(m: NewModel, v: NewVersion): Promise<void> {
  const io = v.signature as { key: string; spec?: { inputs: unknown; outputs: unknown } }[];
  try {
    await db().model.create({
      data: {
        ...m,
        version: v.version,
        variant: v.version,
        builtIn: false,
        files: json(v.files),
        inputSchema: json(io.map((s) => ({ weight: s.key, inputs: s.spec?.inputs ?? [] }))),
        outputSchema: json(io.map((s) => ({ weight: s.key, outputs: s.spec?.outputs ?? [] }))),
        options: json(v.options),
        versions: { create: { ...v, files: json(v.files), signature: json(v.signature), options: json(v.options) } },
      },
    });
  } catch (e) {
    conflictOr(e, `A model with id "${m.id}" already exists.`);
  } finally {
    invalidateModelRows();
  }
}

/** Adds a version to an existing model (no traffic until an admin gives it some). */
export async function addModelVersion(modelId: string, v: NewVersion): Promise<void> {
  try {
    await db().modelVersion.create({ data: { ...v, modelId, files: json(v.files), signature: json(v.signature), options: json(v.options) } });
  } catch (e) {
    conflictOr(e, `Model ${modelId} already has a version "${v.version}".`);
  } finally {
    invalidateModelRows();
  }
}

export async function setVersionStatus(modelId: string, version: string, status: string, statusReason: string | null): Promise<void> {
  await db().modelVersion.updateMany({ where: { modelId, version }, data: { status, statusReason } });
  invalidateModelRows();
}

/** Sets every listed version's share (the others get 0) in one transaction. */
export async function setTrafficShares(modelId: string, shares: Record<string, number>): Promise<void> {
  await db().$transaction([
    db().modelVersion.updateMany({ where: { modelId, version: { notIn: Object.keys(shares) } }, data: { trafficPercent: 0 } }),
    ...Object.entries(shares).map(([version, trafficPercent]) => db().modelVersion.updateMany({ where: { modelId, version }, data: { trafficPercent } })),
  ]);
  invalidateModelRows();
}

export async function updateModelFlags(id: string, data: { enabled?: boolean; sticky?: boolean }): Promise<void> {
  await db().model.update({ where: { id }, data });
  invalidateModelRows();
}

export async function deleteModelRow(id: string): Promise<void> {
  await db().model.delete({ where: { id } });
  invalidateModelRows();
}

export async function deleteVersionRow(modelId: string, version: string): Promise<void> {
  await db().modelVersion.delete({ where: { modelId_version: { modelId, version } } });
  invalidateModelRows();
}

/** The hashes among `sha256s` that no version (of any model) lists any more, nor uses as its eval file. */
export async function unreferencedBlobs(sha256s: readonly string[]): Promise<string[]> {
  if (!sha256s.length) return [];
  const rows = await db().modelVersion.findMany({ where: { model: { builtIn: false } }, select: { files: true, evalSha256: true } });
  const used = new Set<string>();
  for (const r of rows) {
    if (r.evalSha256) used.add(r.evalSha256);
    for (const f of Array.isArray(r.files) ? (r.files as { sha256?: string }[]) : []) if (f.sha256) used.add(f.sha256);
  }
  return [...new Set(sha256s)].filter((s) => !used.has(s));
}

/** Uploaded versions in one status (boot resumes those left `measuring` by a stopped process). */
export function versionsInStatus(status: string): Promise<{ modelId: string; version: string }[]> {
  return db().modelVersion.findMany({ where: { status, model: { builtIn: false } }, select: { modelId: true, version: true }, orderBy: { createdAt: "asc" } });
}

/** One version's status, eval file and metric (measurement reads them fresh, not from the cached rows). */
export function findVersion(modelId: string, version: string) {
  return db().modelVersion.findUnique({ where: { modelId_version: { modelId, version } }, select: { status: true, statusReason: true, evalSha256: true, evalMetric: true } });
}
