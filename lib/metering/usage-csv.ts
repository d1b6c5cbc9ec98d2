import "server-only";
import { listKeysOf } from "@/lib/db/keys";
import { usageEventPages } from "@/lib/db/usage-export";
import { scopedKey, type UsageScope } from "./usage-report";

export const CSV_COLUMNS = [
  "created_at",
  "request_id",
  "source",
  "route",
  "method",
  "model",
  "key_prefix",
  "key_name",
  "status",
  "error_code",
  "latency_ms",
  "compute_ms",
  "units",
  "unit_kind",
] as const;

/**
 * One CSV cell (RFC 4180). Text starting with = + - @ (or a tab/CR, which some spreadsheets skip) is prefixed with
 * a quote so a spreadsheet never evaluates it as a formula; numbers are written as they are.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  let s = v;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** The caller's own usage events for the filtered range as a streamed CSV body. */
export async function usageCsv(userId: string, q: UsageScope & { from: Date; to: Date; model?: string }): Promise<ReadableStream<Uint8Array>> {
  const apiKeyId = await scopedKey(userId, q);
  const keys = new Map((await listKeysOf(userId)).map((k) => [k.id, k]));
  const pages = usageEventPages({ userId, apiKeyId, modelId: q.model, from: q.from, to: q.to });
  const enc = new TextEncoder();
  let header = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (header) {
        header = false;
        controller.enqueue(enc.encode(csvLine([...CSV_COLUMNS])));
        return;
      }
      const next = await pages.next();
      if (next.done) return controller.close();
      const text = next.value
        .map((r) => {
          const key = r.apiKeyId ? keys.get(r.apiKeyId) : undefined;
          return csvLine([
            r.createdAt.toISOString(),
            r.requestId,
            r.source,
            r.route,
            r.method,
            r.modelId,
            key?.prefix ?? (r.source === "playground" ? "playground" : null),
            key?.name ?? null,
            r.status,
            r.errorCode,
            r.latencyMs,
            r.computeMs,
            r.units,
            r.unitKind,
          ]);
        })
        .join("");
      controller.enqueue(enc.encode(text));
    },
    async cancel() {
      await pages.return(undefined);
    },
  });
}

export function csvFilename(from: Date, to: Date): string {
  return `pareto-usage-${from.toISOString().slice(0, 10)}-to-${to.toISOString().slice(0, 10)}.csv`;
}
