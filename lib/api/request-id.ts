import crypto from "node:crypto";

/**
 * Every response's `x-request-id`. Always minted here, never taken from the client: it is the unique key of the
 * request's usage event and routing decision, so a client-chosen id could collide with another request's.
 */
export function newRequestId(): string {
  return `req_${crypto.randomBytes(12).toString("base64url")}`;
}
