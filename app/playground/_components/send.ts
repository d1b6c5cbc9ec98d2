/**
 * Sends one playground request with XMLHttpRequest (fetch cannot report upload progress) and returns the parsed
 * body, the HTTP status, the client-side latency and the headers the API sets.
 */
export interface ApiErrorBody {
  error: { type: string; code: string; message: string; param?: string };
}

export interface SendResult<T> {
  ok: boolean;
  status: number;
  body: T | ApiErrorBody;
  latencyMs: number;
  computeMs: number | null;
  chosenModel: string | null;
}

export function send<T>(url: string, form: FormData, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<SendResult<T>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const t0 = performance.now();
    xhr.open("POST", url);
    xhr.responseType = "text";
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: T | ApiErrorBody;
      try {
        body = JSON.parse(xhr.responseText) as T | ApiErrorBody;
      } catch {
        body = { error: { type: "server_error", code: "bad_response", message: `HTTP ${xhr.status}` } };
      }
      const compute = xhr.getResponseHeader("x-compute-ms");
      resolve({
        ok: xhr.status >= 200 && xhr.status < 300,
        status: xhr.status,
        body,
        latencyMs: performance.now() - t0,
        computeMs: compute ? Number(compute) : null,
        chosenModel: xhr.getResponseHeader("x-pareto-model"),
      });
    };
    xhr.onerror = () => reject(new Error("network error"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(form);
  });
}

export function isError(b: unknown): b is ApiErrorBody {
  return typeof b === "object" && b !== null && "error" in b;
}
