import "server-only";
import { db } from "./client";

export interface InviteRow {
  id: string;
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

const select = { id: true, email: true, createdAt: true, expiresAt: true, usedAt: true } as const;

export function insertInvite(i: { tokenHash: string; email: string | null; createdById: string | null; expiresAt: Date }): Promise<InviteRow> {
  return db().invite.create({ data: i, select });
}

/** Invites not used yet, newest first (expired ones included, so an admin sees why a link stopped working). */
export function listOpenInvites(take = 200): Promise<InviteRow[]> {
  return db().invite.findMany({ where: { usedAt: null }, orderBy: { createdAt: "desc" }, take, select });
}

/** Deletes an unused invite; false when there is none with this id (or it was used already). */
export async function deleteOpenInvite(id: string): Promise<boolean> {
  return (await db().invite.deleteMany({ where: { id, usedAt: null } })).count === 1;
}
