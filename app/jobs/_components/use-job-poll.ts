"use client";
import { useCallback, useEffect, useState } from "react";
import { apiFetch, type ApiFailure } from "@/app/_components/dashboard/use-json";

/** About once a second while any job is queued or running (issue 15 §6); nothing while none is. */
export const JOB_POLL_MS = 1_000;

/**
 * GETs `url` now, again on `reload()` or when `refresh` changes, and again a second (times `slower`) after each answer for which `live(data)` holds — so
 * polling stops by itself once the jobs in view are finished. A network blip or a 5xx keeps watching, slower.
 */
export function usePolled<T>(url: string | null, live: (data: T) => boolean, refresh = 0, slower = 1) {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => {
    if (!url) return;
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = () =>
      apiFetch<T>(url, { signal: ctrl.signal }).then(
        (r) => {
          if (ctrl.signal.aborted) return;
          if (r.ok) {
            setData(r.data);
            setFailure(null);
            if (live(r.data)) timer = setTimeout(() => void tick(), JOB_POLL_MS * slower);
          } else {
            setFailure(r.error);
            if (r.error.status === 0 || r.error.status >= 500) timer = setTimeout(() => void tick(), JOB_POLL_MS * 3 * slower);
          }
        },
        () => undefined,
      );
    void tick();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
    // `live` is a rule, not state: a new function each render must not restart the loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url, nonce, refresh, slower]);

  return { data, setData, failure, reload };
}
