/**
 * The Classify tab's text box read as the API's `input`: one item per non-blank line, checked against the API's
 * limits before anything is sent (the server checks them again; this only spares a round trip and names the line).
 */
export const MAX_ITEMS = 256;
export const MAX_CHARS = 10_000;

export type LinesProblem = { kind: "empty" } | { kind: "tooMany"; n: number } | { kind: "tooLong"; line: number; n: number };

/** The items to send with the 1-based line each came from, or the first problem. */
export function readLines(text: string): { ok: true; items: string[]; lines: number[] } | { ok: false; problem: LinesProblem } {
  const items: string[] = [];
  const lines: number[] = [];
  text.split(/\r\n|\n|\r/).forEach((l, i) => {
    if (l.trim() === "") return;
    items.push(l);
    lines.push(i + 1);
  });
  if (items.length === 0) return { ok: false, problem: { kind: "empty" } };
  if (items.length > MAX_ITEMS) return { ok: false, problem: { kind: "tooMany", n: items.length } };
  // Characters as a zod string schema counts them (UTF-16 units): never more lenient than the server.
  const long = items.findIndex((s) => s.length > MAX_CHARS);
  if (long >= 0) return { ok: false, problem: { kind: "tooLong", line: lines[long], n: items[long].length } };
  return { ok: true, items, lines };
}
