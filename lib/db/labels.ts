import "server-only";
import { db } from "./client";

/** Emails of users by id (admin dashboards label ids with these). */
export async function userEmails(ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db().user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } });
  return new Map(rows.map((r) => [r.id, r.email]));
}

/** Display prefix, name and owner of keys by id (never the hash). */
export async function keyLabels(ids: string[]) {
  if (!ids.length) return new Map<string, { prefix: string; name: string; ownerEmail: string }>();
  const rows = await db().apiKey.findMany({
    where: { id: { in: ids } },
    select: { id: true, prefix: true, name: true, user: { select: { email: true } } },
  });
  return new Map(rows.map((r) => [r.id, { prefix: r.prefix, name: r.name, ownerEmail: r.user.email }]));
}
