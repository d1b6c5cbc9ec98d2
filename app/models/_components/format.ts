/** Display formatting shared by catalog and cards. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function ms(v: number | null | undefined): string {
  if (v == null) return "—";
  return v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`;
}

export function pct(v: number | null | undefined): string {
  return v == null ? "—" : `${(v * 100).toFixed(1)} %`;
}

export const STATUS_STYLE: Record<string, string> = {
  READY: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  LOADING: "bg-amber-50 text-amber-700 ring-amber-200",
  FAILED: "bg-red-50 text-red-700 ring-red-200",
  UNLOADED: "bg-slate-100 text-slate-600 ring-slate-200",
};
