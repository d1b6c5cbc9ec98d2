import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_GATE_TOLERANCES, evaluateGate, gateTolerancesFromEnv } from "@/lib/selection/gate";

const current = { model: "v5", accuracy: 0.96, p95Ms: 40 };

describe("regression gate", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("refuses a less accurate version, naming the figures", () => {
    const g = evaluateGate({ model: "v4", accuracy: 0.94, p95Ms: 38 }, current);
    expect(g.ok).toBe(false);
    expect(g.reasons).toHaveLength(1);
    expect(g.reasons[0]).toMatch(/accuracy 0\.940 is below the current default v5's 0\.960/);
  });

  it("refuses a slower version and reports both reasons when both regress", () => {
    expect(evaluateGate({ model: "x", accuracy: 0.97, p95Ms: 60 }, current).reasons[0]).toMatch(/p95 latency 60\.0 ms exceeds .* 40\.0 ms by more than 10 %/);
    expect(evaluateGate({ model: "x", accuracy: 0.9, p95Ms: 60 }, current).reasons).toHaveLength(2);
  });

  it("accepts a better version, and one within the tolerances", () => {
    const better = evaluateGate({ model: "v6", accuracy: 0.97, p95Ms: 35 }, current);
    expect(better.ok).toBe(true);
    expect(better.reasons.join(" ")).toMatch(/accuracy 0\.970 vs 0\.960/);
    expect(evaluateGate({ model: "v6", accuracy: 0.956, p95Ms: 43.9 }, current).ok).toBe(true);
    expect(evaluateGate({ model: "v6", accuracy: 0.956, p95Ms: 43.9 }, current, { accuracy: 0, latency: 0 }).ok).toBe(false);
  });

  it("refuses an unmeasured candidate; accepts when the current default has no figures or is the candidate", () => {
    expect(evaluateGate({ model: "v6", accuracy: null, p95Ms: null }, current).ok).toBe(false);
    expect(evaluateGate({ model: "v6", accuracy: 0.5, p95Ms: 999 }, { model: "v5", accuracy: null, p95Ms: null }).ok).toBe(true);
    expect(evaluateGate({ model: "v5", accuracy: 0.5, p95Ms: 999 }, current).reasons[0]).toMatch(/already the default/);
  });

  it("reads tolerances from the environment and rejects nonsense", () => {
    vi.stubEnv("PARETO_GATE_ACCURACY_TOLERANCE", "");
    vi.stubEnv("PARETO_GATE_LATENCY_TOLERANCE", "");
    expect(gateTolerancesFromEnv()).toEqual(DEFAULT_GATE_TOLERANCES);
    vi.stubEnv("PARETO_GATE_ACCURACY_TOLERANCE", "0.02");
    vi.stubEnv("PARETO_GATE_LATENCY_TOLERANCE", "0.5");
    expect(gateTolerancesFromEnv()).toEqual({ accuracy: 0.02, latency: 0.5 });
    vi.stubEnv("PARETO_GATE_LATENCY_TOLERANCE", "-1");
    expect(() => gateTolerancesFromEnv()).toThrow(/PARETO_GATE_LATENCY_TOLERANCE/);
  });
});
