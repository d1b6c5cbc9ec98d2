/** A usage aggregate (requests, errors, compute, units) as the usage reports show it, rounded for reading. */
export function presentBucket(x: { requests: number; errors: number; computeMs: number; units: number }) {
  return {
    requests: x.requests,
    errors: x.errors,
    compute_ms: Math.round(x.computeMs * 100) / 100,
    units: Math.round(x.units * 1000) / 1000,
  };
}
