/** Time ranges of the dashboards: presets relative to now, or a custom from/to. */
export const PRESETS = ["24h", "7d", "30d", "custom"] as const;
export type Preset = (typeof PRESETS)[number];

export interface Range {
  preset: Preset;
  /** ISO 8601 */
  from: string;
  /** ISO 8601; absent = now (the server's default). */
  to?: string;
}

const SPAN_MS: Record<Exclude<Preset, "custom">, number> = { "24h": 86_400_000, "7d": 7 * 86_400_000, "30d": 30 * 86_400_000 };

export function presetRange(p: Exclude<Preset, "custom">, now = Date.now()): Range {
  return { preset: p, from: new Date(now - SPAN_MS[p]).toISOString() };
}

export const MAX_RANGE_MS = 366 * 86_400_000;

/** Query parameters for a range plus other filters (empty values left out). */
export function query(range: Range, extra: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams({ from: range.from });
  if (range.to) p.set("to", range.to);
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== "") p.set(k, String(v));
  return p.toString();
}

/** ISO → the value of an <input type="datetime-local"> in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Every UTC day from `from` to `to` (inclusive), to draw days without requests as zero. */
export function daysBetween(fromIso: string, toIso: string): string[] {
  const out: string[] = [];
  const d = new Date(`${fromIso.slice(0, 10)}T00:00:00Z`);
  const end = new Date(toIso).getTime();
  while (d.getTime() < end && out.length < 400) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
