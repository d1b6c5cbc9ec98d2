/**
 * Building KServe v2 requests from a tensor model's input signature: concrete shapes (a dynamic axis, -1 or
 * named, becomes 1 unless the user says otherwise), random valid values, and reading what the user typed.
 * Pure: shared by the playground's Tensor tab and the model card's example request, and unit-tested.
 */
export interface InputSpec {
  name: string;
  datatype: string;
  shape: readonly (number | string)[];
}

export interface KserveTensor {
  name: string;
  shape: number[];
  datatype: string;
  data: number[];
}

export const isDynamic = (d: number | string): boolean => typeof d === "string" || d < 0;

/** The shape with every dynamic axis set to 1. */
export function concreteShape(shape: readonly (number | string)[]): number[] {
  return shape.map((d) => (isDynamic(d) ? 1 : (d as number)));
}

/** How dynamic axes are named in hints: their name, or "axis i" for an unnamed one. */
export function dynamicAxes(shape: readonly (number | string)[]): string[] {
  return shape.flatMap((d, i) => (isDynamic(d) ? [typeof d === "string" ? d : `axis ${i}`] : []));
}

export const elements = (shape: readonly number[]): number => shape.reduce((n, d) => n * d, 1);

/** Random values valid for the datatype: floats in [0, 1) to 4 places, integers 0–9 (safe as indices and labels). */
export function randomValues(datatype: string, n: number, rand: () => number = Math.random): number[] {
  const int = datatype.startsWith("INT") || datatype.startsWith("UINT") || datatype === "BOOL";
  return Array.from({ length: n }, () => (int ? Math.floor(rand() * (datatype === "BOOL" ? 2 : 10)) : Math.round(rand() * 10_000) / 10_000));
}

/** One tensor per input, shaped with dynamic axes = 1: random values, or zeros for a documentation example. */
export function exampleInputs(inputs: readonly InputSpec[], fill: "random" | "zeros" = "random"): KserveTensor[] {
  return inputs.map((i) => {
    const shape = concreteShape(i.shape);
    const n = elements(shape);
    return { name: i.name, shape, datatype: i.datatype, data: fill === "random" ? randomValues(i.datatype, n) : new Array<number>(n).fill(0) };
  });
}

/** Flattens a nested JSON array of numbers (row-major); null if anything in it is not a finite number. */
export function flatten(v: unknown): number[] | null {
  if (typeof v === "number") return Number.isFinite(v) ? [v] : null;
  if (!Array.isArray(v)) return null;
  const out: number[] = [];
  for (const x of v) {
    const f = flatten(x);
    if (!f) return null;
    out.push(...f);
  }
  return out;
}

export type ParsedInput = { ok: true; shape: number[]; data: number[] } | { ok: false; problem: "badJson" | "badInput" | "badShape" | "wrongCount"; got?: number; need?: number };

/** Reads one input field: its values (JSON, nested or flat) against its shape ("1, 3, 224" or "[1,3,224]"). */
export function parseInput(valuesText: string, shapeText: string): ParsedInput {
  const dims = shapeText.replace(/[[\]\s]/g, "").split(",").filter((s) => s !== "");
  const shape = dims.map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) return { ok: false, problem: "badShape" };
  let raw: unknown;
  try {
    raw = JSON.parse(valuesText);
  } catch {
    return { ok: false, problem: "badJson" };
  }
  const data = flatten(raw);
  if (!data) return { ok: false, problem: "badInput" };
  if (data.length !== elements(shape)) return { ok: false, problem: "wrongCount", got: data.length, need: elements(shape) };
  return { ok: true, shape, data };
}

/** Index and value of the largest element (first among equals); null for an empty tensor. */
export function argmax(data: readonly number[]): { index: number; value: number } | null {
  if (data.length === 0) return null;
  let best = 0;
  for (let i = 1; i < data.length; i++) if (data[i] > data[best]) best = i;
  return { index: best, value: data[best] };
}

/** Whether an output is one row (argmax is meaningful): rank ≤ 1, or every axis but the last is 1. */
export function isOneRow(shape: readonly number[]): boolean {
  return shape.length <= 1 || shape.slice(0, -1).every((d) => d === 1);
}
