/**
 * Where a webhook may go. Checked when a job is submitted (`checkWebhookUrl`, a clear 422 for the caller) and again
 * before every attempt (`resolveTarget`), after DNS resolution: the attempt then connects to the very address that
 * was checked, so a name that resolves to a public address at submission and to 127.0.0.1 later (DNS rebinding)
 * cannot reach the inside.
 */
import dns from "node:dns/promises";
import net from "node:net";
import { env } from "@/lib/config/env";
import { InputError } from "@/lib/models/tensor";
import { classifyAddress, CLASS_NAMES } from "./address";

export const MAX_URL_LENGTH = 2048;

/** A resolver that hangs must not hold a job submission (or an attempt) for the system resolver's full timeout. */
const DNS_TIMEOUT_MS = 5_000;

export interface Target {
  url: URL;
  /** The checked address the attempt connects to. */
  address: string;
  family: 4 | 6;
}

/** Why a target is refused: not worth retrying (the URL or its addresses are not allowed). */
export class RefusedTarget extends Error {}

/** The host did not resolve: refused at submission, but at delivery time possibly passing (retried). */
export class UnresolvedHost extends Error {}

function refuse(message: string): never {
  throw new RefusedTarget(message);
}

/** The URL's syntax: http(s), a host, no credentials, not too long. */
export function parseWebhookUrl(raw: string): URL {
  if (raw.length > MAX_URL_LENGTH) refuse(`the URL is ${raw.length} characters long; at most ${MAX_URL_LENGTH} are allowed`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    refuse("not a valid absolute URL (expected https://host/path)");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") refuse(`only http and https URLs are allowed, not ${url.protocol.replace(/:$/, "")}`);
  if (url.username || url.password) refuse("the URL must not contain a user name or password");
  if (!url.hostname) refuse("the URL has no host");
  return url;
}

/** The host as DNS and net see it: IPv6 literals lose their brackets. */
function bareHost(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

async function addressesOf(host: string): Promise<{ address: string; family: 4 | 6 }[]> {
  const literal = net.isIP(host);
  if (literal) return [{ address: host, family: literal as 4 | 6 }];
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new UnresolvedHost(`the host ${host} did not resolve within ${DNS_TIMEOUT_MS / 1000} s`)), DNS_TIMEOUT_MS);
    });
    const all = await Promise.race([dns.lookup(host, { all: true, verbatim: true }), timeout]).finally(() => clearTimeout(timer));
    if (all.length === 0) throw new UnresolvedHost(`the host ${host} does not resolve`);
    return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
  } catch (e) {
    if (e instanceof UnresolvedHost) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UnresolvedHost(`the host ${host} does not resolve${code ? ` (${code})` : ""}`);
  }
}

/**
 * Resolves the URL's host and checks every address (one bad address is enough to refuse: the system resolver could
 * pick any of them). Unless PARETO_WEBHOOK_ALLOW_PRIVATE=1, only public unicast addresses pass.
 */
export async function resolveTarget(raw: string): Promise<Target> {
  const url = parseWebhookUrl(raw);
  const host = bareHost(url);
  const addresses = await addressesOf(host);
  if (!env.webhookAllowPrivate()) {
    for (const a of addresses) {
      const cls = classifyAddress(a.address);
      // A host name's address is not echoed: the refusal must not tell callers what internal names resolve to.
      if (cls) refuse(`${host === a.address ? host : `${host} resolves to an address that`} is ${CLASS_NAMES[cls]}; webhooks go only to public addresses (PARETO_WEBHOOK_ALLOW_PRIVATE=1 allows private ones)`);
    }
  }
  return { url, address: addresses[0].address, family: addresses[0].family };
}

/** At submission: the same checks, as the caller's 422 `invalid_webhook_url` on the `webhook_url` field. */
export async function checkWebhookUrl(url: string): Promise<void> {
  try {
    await resolveTarget(url);
  } catch (e) {
    if (e instanceof RefusedTarget || e instanceof UnresolvedHost) throw new InputError("invalid_webhook_url", `webhook_url refused: ${e.message}.`, "webhook_url");
    throw e;
  }
}
