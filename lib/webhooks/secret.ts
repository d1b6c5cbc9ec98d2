import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { ServiceError } from "@/lib/models/errors";
import { replaceWebhookSecret, setWebhookSecretIfUnset, webhookSecretOf } from "@/lib/db/webhooks";
import { newWebhookSecret } from "./sign";

/**
 * Each user's signing secret, made on first use. Stored as is (not hashed): signing needs the secret itself, and
 * the owner may read it back on the keys page.
 */
export async function webhookSecretFor(userId: string): Promise<string> {
  const row = await webhookSecretOf(userId);
  if (!row) throw new ServiceError("not_found", "No such user.");
  if (row.secret) return row.secret;
  await setWebhookSecretIfUnset(userId, newWebhookSecret());
  // Read back: a concurrent first use may have set its own secret first, and that one is the secret.
  const again = await webhookSecretOf(userId);
  if (!again?.secret) throw new ServiceError("not_found", "No such user.");
  return again.secret;
}

/** Who rotated a secret, for the audit log (the operator CLI has no account: nulls). */
export interface SecretActor {
  id: string | null;
  email: string | null;
  ip?: string | null;
  via?: "cli" | "portal";
}

/** A new secret, audited; deliveries sent from now on (retries included) are signed with it. */
export async function rotateWebhookSecret(userId: string, actor: SecretActor = { id: userId, email: null }): Promise<string> {
  const secret = newWebhookSecret();
  if (!(await replaceWebhookSecret(userId, secret))) throw new ServiceError("not_found", "No such user.");
  await writeAudit({ actorId: actor.id, actorEmail: actor.email, action: "webhook_secret.rotate", targetType: "user", targetId: userId, ip: actor.ip ?? null, details: actor.via ? { via: actor.via } : undefined });
  return secret;
}
