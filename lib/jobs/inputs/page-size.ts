/**
 * Page pixel sizes: the requested resolution, capped so that a hostile MediaBox (a 200-inch page) or a huge scan
 * cannot exhaust memory. 5,000 px on the longest side is ~430 dpi for a Letter page: more than OCR needs.
 */
export const MAX_PAGE_SIDE = 5000;
export const MIN_DPI = 36;
export const MAX_DPI = 600;

export function clampDpi(dpi: number | undefined, fallback: number): number {
  const d = dpi === undefined || !Number.isFinite(dpi) ? fallback : dpi;
  return Math.min(MAX_DPI, Math.max(MIN_DPI, d));
}

/** Scale factor from PDF points (1/72 in) for a page of `w` × `h` points. */
export function pageScale(w: number, h: number, dpi: number): number {
  const scale = dpi / 72;
  const longest = Math.max(w, h) * scale;
  return longest > MAX_PAGE_SIDE ? MAX_PAGE_SIDE / Math.max(w, h) : scale;
}
