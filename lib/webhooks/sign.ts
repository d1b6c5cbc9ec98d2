/**
 * Standard Webhooks signing (https://www.standardwebhooks.com), with the reference library so what we send is what
 * every receiver's verifier expects: `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed
 * with the base64 bytes after `whsec_`.
 */
import crypto from "node:crypto";
import { Webhook } from "standardwebhooks";

export const SECRET_PREFIX = "whsec_";

/** `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return SECRET_PREFIX + crypto.randomBytes(32).toString("base64");
}

/** A delivery's id (`webhook-id`): the same across its retries, so receivers can drop duplicates. */
export function newDeliveryId(): string {
  return `msg_${crypto.randomBytes(16).toString("base64url")}`;
}

/** The headers of one attempt; `at` is the attempt's time (a new timestamp, and so a new signature, per attempt). */
export function signedHeaders(secret: string, id: string, at: Date, body: string): Record<string, string> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
    "content-type": "application/json",
    "user-agent": "Pareto-Webhooks/1",
  };
}
