import "server-only";
import { db } from "./client";

/**
 * A fingerprint of the model registry that changes whenever a model or version is added, edited or removed: row
 * counts (a deletion) and the latest `updatedAt` (an insert or an edit; Prisma sets it on every update) of Model and
 * ModelVersion. Instances without a working notification channel poll it every couple of seconds
 * (lib/registry/notify.ts). Both tables hold tens of rows, so the scans cost less than an index lookup's round trip.
 */
export async function registryVersion(): Promise<string> {
  const [m, v] = await Promise.all([
    db().model.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
    db().modelVersion.aggregate({ _count: { _all: true }, _max: { updatedAt: true } }),
  ]);
  return [m._count._all, m._max.updatedAt?.getTime() ?? 0, v._count._all, v._max.updatedAt?.getTime() ?? 0].join(":");
}
