import "server-only";

/**
 * The upload limit the forms check before sending (the server refuses larger files with 413 either way).
 * TODO(lead): read env.maxModelMb() once PARETO_MAX_MODEL_MB is defined in lib/config/env.ts.
 */
export function maxModelMb(): number {
  const n = Number(process.env.PARETO_MAX_MODEL_MB);
  return Number.isFinite(n) && n > 0 ? n : 512;
}
