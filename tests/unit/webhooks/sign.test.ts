import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { newDeliveryId, newWebhookSecret, signedHeaders } from "@/lib/webhooks/sign";

describe("Standard Webhooks signing", () => {
  const body = JSON.stringify({ type: "job.succeeded", timestamp: "2026-12-01T00:00:00.000Z", data: { id: "job_1", object: "job", status: "succeeded" } });

  it("a secret is whsec_ + base64 of 32 random bytes", () => {
    const s = newWebhookSecret();
    expect(s).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(s.slice(6), "base64")).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(s);
  });

  it("the headers verify with the reference library's Webhook.verify and return the body", () => {
    const secret = newWebhookSecret();
    const id = newDeliveryId();
    const h = signedHeaders(secret, id, new Date(), body);
    expect(h["webhook-id"]).toBe(id);
    expect(h["webhook-timestamp"]).toMatch(/^\d{10}$/);
    expect(h["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(h["content-type"]).toBe("application/json");
    expect(h["user-agent"]).toBe("Pareto-Webhooks/1");
    expect(new Webhook(secret).verify(body, h)).toEqual(JSON.parse(body));
  });

  it("the signature is HMAC-SHA256 over id.timestamp.body, keyed with the secret's bytes", async () => {
    const { createHmac } = await import("node:crypto");
    const secret = newWebhookSecret();
    const at = new Date(1_764_547_200_123);
    const h = signedHeaders(secret, "msg_x", at, body);
    const mac = createHmac("sha256", Buffer.from(secret.slice(6), "base64")).update(`msg_x.1764547200.${body}`).digest("base64");
    expect(h["webhook-timestamp"]).toBe("1764547200");
    expect(h["webhook-signature"]).toBe(`v1,${mac}`);
  });

  it.each([
    { what: "another secret", tamper: (h: Record<string, string>) => ({ h, b: body, secret: newWebhookSecret() }) },
    { what: "a changed body", tamper: (h: Record<string, string>) => ({ h, b: body.replace("succeeded", "failed"), secret: "" }) },
    { what: "another id", tamper: (h: Record<string, string>) => ({ h: { ...h, "webhook-id": "msg_other" }, b: body, secret: "" }) },
  ])("verification fails with $what", ({ tamper }) => {
    const secret = newWebhookSecret();
    const t = tamper(signedHeaders(secret, "msg_1", new Date(), body));
    expect(() => new Webhook(t.secret || secret).verify(t.b, t.h)).toThrow();
  });

  it("a timestamp outside the receivers' 5-minute tolerance is refused by them (each attempt signs anew)", () => {
    const secret = newWebhookSecret();
    const old = signedHeaders(secret, "msg_1", new Date(Date.now() - 10 * 60_000), body);
    expect(() => new Webhook(secret).verify(body, old)).toThrow(/too old/);
  });
});
