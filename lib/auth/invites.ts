import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import { writeAudit } from "@/lib/db/audit";
import { deleteOpenInvite, insertInvite, listOpenInvites, type InviteRow } from "@/lib/db/invites";
import { normalizeEmail } from "@/lib/db/users";
import { ServiceError } from "@/lib/models/errors";
import type { SessionUser } from "./session";

/** Only the SHA-256 of an invite token is stored, like API keys: a database leak hands out no sign-ups. */
export function hashInviteToken(token: string): string {
  return crypto.createHash("sha256").update(token).digest("hex");
}

export async function createInvite(actor: SessionUser, input: { email?: string; expires_in_days: number }): Promise<InviteRow & { token: string; url: string }> {
  const token = `inv_${crypto.randomBytes(24).toString("base64url")}`;
  const row = await insertInvite({
    tokenHash: hashInviteToken(token),
    email: input.email ? normalizeEmail(input.email) : null,
    createdById: actor.id,
    expiresAt: new Date(Date.now() + input.expires_in_days * 86_400_000),
  });
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "invite.create", targetType: "invite", targetId: row.id, details: { email: row.email, expiresAt: row.expiresAt.toISOString() } });
  const url = new URL(`/signup?invite=${encodeURIComponent(token)}`, env.nextAuthUrl()).toString();
  return { ...row, token, url };
}

export function openInvites(): Promise<InviteRow[]> {
  return listOpenInvites();
}

export async function revokeInvite(actor: SessionUser, id: string): Promise<void> {
  if (!(await deleteOpenInvite(id))) throw new ServiceError("not_found", "No unused invite with this id.", { param: "id" });
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "invite.revoke", targetType: "invite", targetId: id });
}
