import "server-only";
import { db } from "./client";
import type { UsageFilter } from "./usage";

export const EXPORT_PAGE = 1_000;

/**
 * Usage events of a filtered range, oldest first, a page at a time (keyset on id within createdAt order), so an
 * export of any size streams with bounded memory.
 */
export async function* usageEventPages(f: UsageFilter & { userId: string }, pageSize = EXPORT_PAGE) {
  let cursor: string | undefined;
  for (;;) {
    const rows = await db().usageEvent.findMany({
      where: { userId: f.userId, apiKeyId: f.apiKeyId, modelId: f.modelId, createdAt: { gte: f.from, lt: f.to } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: pageSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: {
        id: true,
        requestId: true,
        createdAt: true,
        modelId: true,
        apiKeyId: true,
        source: true,
        route: true,
        method: true,
        status: true,
        errorCode: true,
        latencyMs: true,
        computeMs: true,
        units: true,
        unitKind: true,
      },
    });
    if (rows.length) yield rows;
    if (rows.length < pageSize) return;
    cursor = rows[rows.length - 1].id;
  }
}
