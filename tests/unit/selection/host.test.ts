import { describe, expect, it } from "vitest";
import { currentHost, fingerprintOf, hostInfo } from "@/lib/selection/host";

describe("host fingerprint", () => {
  it("is a short stable hash of CPU, cores, memory and runtime versions", () => {
    const h = hostInfo();
    expect(h.cores).toBeGreaterThan(0);
    expect(h.onnxruntime).toMatch(/^\d+\.\d+/);
    expect(h.memoryMb % 256).toBe(0);
    expect(fingerprintOf(h)).toMatch(/^[0-9a-f]{12}$/);
    expect(fingerprintOf({ ...h })).toBe(fingerprintOf(h));
    expect(currentHost().fingerprint).toBe(fingerprintOf(h));
  });

  it("changes with any part", () => {
    const h = hostInfo();
    expect(fingerprintOf({ ...h, cores: h.cores + 1 })).not.toBe(fingerprintOf(h));
    expect(fingerprintOf({ ...h, onnxruntime: "0.0.1" })).not.toBe(fingerprintOf(h));
    expect(fingerprintOf({ ...h, node: "0.0.0" })).not.toBe(fingerprintOf(h));
  });
});
