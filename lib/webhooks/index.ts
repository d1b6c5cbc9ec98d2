/**
 * Job webhooks: a per-user `whsec_` secret, Standard Webhooks signatures, deliveries queued in the database with
 * retries for 24 h, and targets refused when they are not public addresses (see docs/webhooks.md).
 */
export { webhookSecretFor, rotateWebhookSecret } from "./secret";
export { checkWebhookUrl } from "./target";
export { enqueueWebhook, listDeliveries, type DeliveryView, type WebhookEvent } from "./deliveries";
export { startWebhookDispatcher } from "./dispatcher";
