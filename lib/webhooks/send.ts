/**
 * One delivery attempt over HTTP(S): connects to the address the target check approved (a custom `lookup`, so the
 * socket never asks DNS again), follows no redirect, gives up after the attempt timeout and reads at most 1 KB of
 * the answer, which it discards: only the status matters.
 */
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { Target } from "./target";

export const MAX_RESPONSE_BYTES = 1024;

export type AttemptResult = { ok: true; status: number } | { ok: false; status?: number; error?: string };

/** Always answers with the checked address, in whichever form (`all` or not) the socket asks for. */
function pinnedLookup(t: Target): LookupFunction {
  return ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, [{ address: t.address, family: t.family }]);
    else callback(null, t.address, t.family);
  }) as unknown as LookupFunction;
}

function describe(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code && !e.message.includes(code) ? `${code}: ${e.message}` : e.message;
}

export function sendAttempt(t: Target, headers: Record<string, string>, body: string, o: { timeoutMs: number; signal?: AbortSignal }): Promise<AttemptResult> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      finish({ ok: false, error: `timed out after ${o.timeoutMs / 1000} s` });
      req.destroy();
    }, o.timeoutMs);
    const finish = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      resolve(r);
    };
    const lib = t.url.protocol === "https:" ? https : http;
    const req = lib.request(t.url, {
      method: "POST",
      headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
      lookup: pinnedLookup(t),
      // A fresh connection per attempt: a pooled socket could have been opened to another address.
      agent: false,
    });
    const onAbort = () => {
      finish({ ok: false, error: "aborted" });
      req.destroy();
    };
    o.signal?.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e) => finish({ ok: false, error: describe(e) }));
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      const done = () => {
        finish(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status });
        res.destroy();
        req.destroy();
      };
      // The body is read (so a small answer completes normally) up to 1 KB, then the connection is dropped.
      res.on("data", (chunk: Buffer) => {
        read += chunk.length;
        if (read >= MAX_RESPONSE_BYTES) done();
      });
      res.on("end", done);
      res.on("error", done);
    });
    req.end(body);
  });
}
