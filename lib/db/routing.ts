import "server-only";
import { db, type Prisma } from "./client";

/** A user's latest `model=auto` routing decisions, newest first. */
export function listRoutingDecisions(userId: string, take = 20) {
  return db().routingDecision.findMany({
    where: { userId },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(1, take), 200),
    select: { requestId: true, createdAt: true, task: true, chosen: true, reason: true, reasonMessage: true },
  });
}

function json(v: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;
}

/**
 * Records one `model=auto` decision (also the refusals: `chosen` null), for audits of the router. `reason` is the
 * English text; `reasonMessage` the same as catalog key + parameters, so pages render it in the reader's language.
 */
export async function recordRoutingDecision(d: {
  requestId: string;
  userId: string | null;
  task: string;
  constraints: object;
  candidates: object[];
  chosen: string | null;
  reason: string;
  reasonMessage?: object;
}) {
  await db().routingDecision.create({
    data: {
      requestId: d.requestId,
      userId: d.userId,
      task: d.task,
      constraints: json(d.constraints),
      candidates: json(d.candidates),
      chosen: d.chosen,
      reason: d.reason,
      reasonMessage: d.reasonMessage ? json(d.reasonMessage) : undefined,
    },
  });
}
