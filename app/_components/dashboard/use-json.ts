"use client";
import { useCallback, useEffect, useState } from "react";

/** The API's one error shape, plus the HTTP status (0 when the network failed). */
export interface ApiFailure {
  status: number;
  code: string;
  message: string;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; error: ApiFailure };

/** fetch() that reads our JSON responses and error shape; never throws (except for an abort). */
export async function apiFetch<T>(url: string, init: RequestInit & { json?: unknown } = {}): Promise<ApiResult<T>> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set("content-type", "application/json");
  let res: Response;
  try {
    res = await fetch(url, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body, cache: "no-store" });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    return { ok: false, error: { status: 0, code: "network_error", message: e instanceof Error ? e.message : String(e) } };
  }
  const body = (await res.json().catch(() => null)) as unknown;
  if (res.ok) return { ok: true, data: body as T };
  const err = (body as { error?: { code?: string; message?: string } } | null)?.error;
  return { ok: false, error: { status: res.status, code: err?.code ?? "http_error", message: err?.message ?? `HTTP ${res.status}` } };
}

interface Loaded<T> {
  key: string;
  data?: T;
  error?: ApiFailure;
}

/**
 * GETs JSON for a URL (null = nothing yet) and refetches when it changes, on `reload()` and every `refreshMs`.
 * The last good data stays visible while a refresh is in flight.
 */
export function useJson<T>(url: string | null, refreshMs?: number) {
  const [loaded, setLoaded] = useState<Loaded<T> | null>(null);
  const [last, setLast] = useState<T | undefined>(undefined);
  const [nonce, setNonce] = useState(0);
  const key = url ? `${nonce}|${url}` : null;

  useEffect(() => {
    if (!url) return;
    const ctrl = new AbortController();
    const k = `${nonce}|${url}`;
    apiFetch<T>(url, { signal: ctrl.signal }).then(
      (r) => {
        if (ctrl.signal.aborted) return;
        if (r.ok) {
          setLast(r.data);
          setLoaded({ key: k, data: r.data });
        } else setLoaded({ key: k, error: r.error });
      },
      () => undefined,
    );
    return () => ctrl.abort();
  }, [url, nonce]);

  useEffect(() => {
    if (!refreshMs) return;
    const id = setInterval(() => setNonce((n) => n + 1), refreshMs);
    return () => clearInterval(id);
  }, [refreshMs]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const current = loaded && loaded.key === key ? loaded : null;
  return { data: current?.data ?? last, error: current?.error ?? null, loading: key !== null && !current, reload };
}
