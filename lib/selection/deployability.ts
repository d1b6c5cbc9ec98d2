/**
 * Ease of deployment as one 0–100 score with its parts shown. Each part scores 0..1; the total is the weighted
 * mean over the parts that are known (unmeasured parts are shown as such and left out of the weighting, not
 * counted as zero). Pure and dependency-free, so client components can import it.
 *
 * | Part       | Weight | 1.0 at            | 0.0 at    | Between          |
 * | ---------- | ------ | ----------------- | --------- | ---------------- |
 * | file size  | 0.20   | ≤ 5 MB            | ≥ 500 MB  | log-linear       |
 * | cold load  | 0.20   | ≤ 100 ms          | ≥ 10 s    | log-linear       |
 * | memory     | 0.20   | ≤ 50 MB peak      | ≥ 2 GB    | log-linear       |
 * | operators  | 0.20   | opset 7–17, only standard ONNX ops; opset 18–21: 0.8, other: 0.6; −0.5 with any custom op |
 * | dyn. axes  | 0.10   | any dynamic axis (any input size, batching) | none: 0.5 |          |
 * | license    | 0.10   | permissive (MIT, Apache-2.0, BSD, ISC) | unknown | weak copyleft 0.6, copyleft 0.3 |
 */

export interface DeployabilityInput {
  fileSizeBytes: number | null;
  coldLoadMs: number | null;
  memoryMb: number | null;
  opset: number | null;
  /** Number of operators from non-standard domains (e.g. com.microsoft). */
  customOps: number | null;
  dynamicAxes: number | null;
  license: string | null;
}

export type DeployabilityPartName = "fileSize" | "coldLoad" | "memory" | "operators" | "dynamicAxes" | "license";

export interface DeployabilityPart {
  name: DeployabilityPartName;
  weight: number;
  /** 0..1, or null when not measured. */
  score: number | null;
  /** The figure scored, for display ("16.1 MB", "opset 11"). */
  value: string | null;
}

export interface Deployability {
  /** 0..100, or null when no part is known. */
  score: number | null;
  parts: DeployabilityPart[];
}

export const DEPLOYABILITY_WEIGHTS: Readonly<Record<DeployabilityPartName, number>> = {
  fileSize: 0.2,
  coldLoad: 0.2,
  memory: 0.2,
  operators: 0.2,
  dynamicAxes: 0.1,
  license: 0.1,
};

/** 1 at or below `good`, 0 at or above `bad`, linear in log(value) between. */
export function logScale(value: number, good: number, bad: number): number {
  if (value <= good) return 1;
  if (value >= bad) return 0;
  return 1 - Math.log(value / good) / Math.log(bad / good);
}

export function licenseScore(license: string): number {
  const l = license.trim().toUpperCase();
  if (/^(MIT|APACHE-2\.0|BSD(-[23]-CLAUSE)?|ISC|UNLICENSE|CC0-1\.0)$/.test(l)) return 1;
  if (/^(LGPL|MPL|EPL)/.test(l)) return 0.6;
  if (/^(A?GPL)/.test(l)) return 0.3;
  return 0;
}

export function operatorScore(opset: number, customOps: number): number {
  const base = opset >= 7 && opset <= 17 ? 1 : opset >= 18 && opset <= 21 ? 0.8 : 0.6;
  // Ops outside the standard domains tie the model to one runtime (e.g. com.microsoft contrib ops → ORT only).
  return Math.max(0, base - (customOps > 0 ? 0.5 : 0));
}

const MB = 1024 * 1024;

export function deployability(d: DeployabilityInput): Deployability {
  const w = DEPLOYABILITY_WEIGHTS;
  const parts: DeployabilityPart[] = [
    { name: "fileSize", weight: w.fileSize, score: d.fileSizeBytes === null ? null : logScale(d.fileSizeBytes / MB, 5, 500), value: d.fileSizeBytes === null ? null : `${(d.fileSizeBytes / MB).toFixed(1)} MB` },
    { name: "coldLoad", weight: w.coldLoad, score: d.coldLoadMs === null ? null : logScale(d.coldLoadMs, 100, 10_000), value: d.coldLoadMs === null ? null : `${Math.round(d.coldLoadMs)} ms` },
    { name: "memory", weight: w.memory, score: d.memoryMb === null ? null : logScale(Math.max(d.memoryMb, 0.001), 50, 2048), value: d.memoryMb === null ? null : `${Math.round(d.memoryMb)} MB` },
    {
      name: "operators",
      weight: w.operators,
      score: d.opset === null ? null : operatorScore(d.opset, d.customOps ?? 0),
      value: d.opset === null ? null : `opset ${d.opset}${d.customOps ? `, ${d.customOps} custom` : ""}`,
    },
    { name: "dynamicAxes", weight: w.dynamicAxes, score: d.dynamicAxes === null ? null : d.dynamicAxes > 0 ? 1 : 0.5, value: d.dynamicAxes === null ? null : String(d.dynamicAxes) },
    { name: "license", weight: w.license, score: d.license ? licenseScore(d.license) : null, value: d.license },
  ];
  const known = parts.filter((p) => p.score !== null);
  const weight = known.reduce((s, p) => s + p.weight, 0);
  const score = weight > 0 ? Math.round((known.reduce((s, p) => s + p.weight * p.score!, 0) / weight) * 100) : null;
  return { score, parts };
}
