/**
 * Joins detection boxes that are pieces of one text line. DB detection shrinks text regions before finding
 * them, so at large font sizes the gap between two words can split a line in two; growing the pieces back
 * (unclip) then makes them overlap, and the recogniser reads a stray letter of the neighbour ("Riverside" +
 * "e Library"). Pieces that are level, of similar height, share most of their vertical extent and touch or
 * nearly touch horizontally are one line. Slanted boxes are left alone.
 */
import type { Point, Quad } from "./types";

interface Piece {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  h: number;
  level: boolean;
}

const MAX_SLANT = Math.tan((5 * Math.PI) / 180);
/** Horizontal gap allowed between two pieces, as a fraction of their height (a word space is ~0.3–0.5). */
const MAX_GAP = 0.6;
const MIN_VERTICAL_OVERLAP = 0.7;
const MAX_HEIGHT_RATIO = 1.4;

function piece(q: Quad): Piece {
  const xs = q.map((p) => p[0]);
  const ys = q.map((p) => p[1]);
  const [tl, tr, br, bl] = q;
  const slant = Math.abs((tr[1] - tl[1]) / Math.max(1, tr[0] - tl[0]));
  const h = (Math.hypot(bl[0] - tl[0], bl[1] - tl[1]) + Math.hypot(br[0] - tr[0], br[1] - tr[1])) / 2;
  return { minX: Math.min(...xs), maxX: Math.max(...xs), minY: Math.min(...ys), maxY: Math.max(...ys), h, level: slant <= MAX_SLANT };
}

function sameLine(a: Piece, b: Piece): boolean {
  if (!a.level || !b.level) return false;
  const hMin = Math.min(a.h, b.h);
  if (Math.max(a.h, b.h) / Math.max(1, hMin) > MAX_HEIGHT_RATIO) return false;
  const vOverlap = Math.min(a.maxY, b.maxY) - Math.max(a.minY, b.minY);
  if (vOverlap < MIN_VERTICAL_OVERLAP * hMin) return false;
  const gap = Math.max(b.minX - a.maxX, a.minX - b.maxX);
  return gap <= MAX_GAP * hMin;
}

export function mergeLineBoxes(quads: readonly Quad[]): Quad[] {
  const pieces = quads.map(piece);
  const parent = quads.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let i = 0; i < pieces.length; i++) {
    for (let j = i + 1; j < pieces.length; j++) {
      if (sameLine(pieces[i], pieces[j])) parent[find(j)] = find(i);
    }
  }
  const groups = new Map<number, number[]>();
  quads.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]));
  const out: Quad[] = [];
  for (const members of groups.values()) {
    if (members.length === 1) {
      out.push(quads[members[0]]);
      continue;
    }
    const ps = members.map((i) => pieces[i]);
    const minX = Math.min(...ps.map((p) => p.minX));
    const maxX = Math.max(...ps.map((p) => p.maxX));
    const minY = Math.min(...ps.map((p) => p.minY));
    const maxY = Math.max(...ps.map((p) => p.maxY));
    const tl: Point = [minX, minY];
    out.push([tl, [maxX, minY], [maxX, maxY], [minX, maxY]]);
  }
  return out;
}
