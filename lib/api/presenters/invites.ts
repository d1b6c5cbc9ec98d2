import "server-only";
import type { InviteRow } from "@/lib/db/invites";
import { createdInviteOutput, inviteOutput } from "../schemas/invites";

export function presentInvite(i: InviteRow) {
  return inviteOutput.parse({ id: i.id, email: i.email, created_at: i.createdAt, expires_at: i.expiresAt, used_at: i.usedAt, expired: i.expiresAt.getTime() <= Date.now() });
}

/** The only presentation that carries the token and the link. */
export function presentCreatedInvite(i: InviteRow & { token: string; url: string }) {
  return createdInviteOutput.parse({ id: i.id, email: i.email, created_at: i.createdAt, expires_at: i.expiresAt, used_at: i.usedAt, expired: false, token: i.token, url: i.url });
}
