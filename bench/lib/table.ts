/** Tables as plain data (so they survive JSON between processes), rendered as aligned text or markdown. */

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** Printed under the table. */
  notes?: string[];
}

function width(s: string): number {
  // CJK and full-width characters take two terminal columns.
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}

/** Cells that look numeric are right-aligned. */
function numeric(s: string): boolean {
  return /^[-+]?[\d.,]+\s*(%|×|ms|s|MiB|x)?$/u.test(s.trim());
}

export function renderText(t: Table): string {
  const widths = t.columns.map((c, i) => Math.max(width(c), ...t.rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[], header = false) =>
    cells.map((c, i) => pad(c ?? "", widths[i], !header && i > 0 && numeric(c ?? ""))).join("  ");
  const out = [`## ${t.title}`, line(t.columns, true), widths.map((w) => "-".repeat(w)).join("  "), ...t.rows.map((r) => line(r))];
  for (const n of t.notes ?? []) out.push(`  * ${n}`);
  return out.join("\n");
}

function mdCell(s: string): string {
  return (s ?? "").replace(/\|/g, "\\|");
}

export function renderMarkdown(t: Table): string {
  const neutral = (c: string) => c === "" || c === "—" || c === "n/a";
  const align = t.columns.map((_, i) => (i > 0 && t.rows.every((r) => numeric(r[i] ?? "") || neutral(r[i] ?? "")) ? "---:" : "---"));
  const out = [
    `#### ${t.title}`,
    "",
    `| ${t.columns.map(mdCell).join(" | ")} |`,
    `| ${align.join(" | ")} |`,
    ...t.rows.map((r) => `| ${r.map(mdCell).join(" | ")} |`),
  ];
  if (t.notes?.length) out.push("", ...t.notes.map((n) => `- ${n}`));
  return out.join("\n");
}
