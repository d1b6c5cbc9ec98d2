import { afterEach, describe, expect, it } from "vitest";
import { checkWebhookUrl } from "@/lib/webhooks/target";

/** The error checkWebhookUrl throws for `url`, as the API would see it (code, param, message). */
async function refusal(url: string) {
  try {
    await checkWebhookUrl(url);
    return null;
  } catch (e) {
    const err = e as { code?: string; param?: string; message: string };
    return { code: err.code, param: err.param, message: err.message };
  }
}

describe("checkWebhookUrl at submission", () => {
  afterEach(() => {
    delete process.env.PARETO_WEBHOOK_ALLOW_PRIVATE;
  });

  it.each([
    { url: "not a url", msg: "not a valid absolute URL" },
    { url: "/relative/path", msg: "not a valid absolute URL" },
    { url: "ftp://8.8.8.8/hook", msg: "only http and https URLs are allowed, not ftp" },
    { url: "file:///etc/passwd", msg: "only http and https URLs are allowed, not file" },
    { url: "javascript:alert(1)", msg: "only http and https URLs are allowed" },
    { url: "https://user:pw@8.8.8.8/hook", msg: "must not contain a user name or password" },
    { url: "https://user@8.8.8.8/hook", msg: "must not contain a user name or password" },
    { url: `https://8.8.8.8/${"a".repeat(2048)}`, msg: "at most 2048 are allowed" },
    { url: "http://127.0.0.1:8080/hook", msg: "127.0.0.1 is a loopback address" },
    { url: "http://localhost/hook", msg: "is a loopback address" },
    { url: "http://[::1]/hook", msg: "::1 is a loopback address" },
    { url: "http://[::ffff:127.0.0.1]/hook", msg: "is a loopback address" },
    { url: "http://10.1.2.3/hook", msg: "10.1.2.3 is a private address" },
    { url: "http://192.168.0.10/hook", msg: "is a private address" },
    { url: "http://169.254.169.254/latest/meta-data", msg: "is a link-local address" },
    { url: "http://100.64.0.1/hook", msg: "carrier-grade NAT" },
    { url: "http://[fd00::1]/hook", msg: "is a unique-local address" },
    { url: "http://[fe80::1]/hook", msg: "is a link-local address" },
    { url: "http://0.0.0.0/hook", msg: "is an unspecified address" },
    { url: "http://224.0.0.1/hook", msg: "multicast" },
    // Decimal and hex IPv4 forms are normalised by the URL parser, then refused like the dotted form.
    { url: "http://2130706433/hook", msg: "127.0.0.1 is a loopback address" },
    { url: "http://0x7f.1/hook", msg: "127.0.0.1 is a loopback address" },
    { url: "https://no-such-host.invalid/hook", msg: "does not resolve" },
  ])("$url → invalid_webhook_url ($msg)", async ({ url, msg }) => {
    const r = await refusal(url);
    expect(r).toMatchObject({ code: "invalid_webhook_url", param: "webhook_url" });
    expect(r?.message).toContain(msg);
    expect(r?.message).toMatch(/^webhook_url refused: /);
  });

  it.each(["https://8.8.8.8/hook", "http://1.1.1.1:8080/a?b=c", "https://[2606:4700:4700::1111]/hook"])("%s (public) is accepted", async (url) => {
    expect(await refusal(url)).toBeNull();
  });

  it("PARETO_WEBHOOK_ALLOW_PRIVATE=1 lets loopback and private targets through, but not bad syntax", async () => {
    process.env.PARETO_WEBHOOK_ALLOW_PRIVATE = "1";
    expect(await refusal("http://127.0.0.1:9/hook")).toBeNull();
    expect(await refusal("http://localhost/hook")).toBeNull();
    expect(await refusal("http://10.0.0.1/hook")).toBeNull();
    expect((await refusal("ftp://127.0.0.1/"))?.code).toBe("invalid_webhook_url");
    expect((await refusal("http://a:b@127.0.0.1/"))?.code).toBe("invalid_webhook_url");
  });
});
