import { describe, expect, it } from "vitest";
import { dominates, frontierLine, paretoFrontier } from "@/lib/selection/frontier";

const P = (model: string, accuracy: number, cost: number) => ({ model, accuracy, cost });

describe("Pareto frontier (accuracy up, cost down)", () => {
  it("flags known points", () => {
    const pts = [P("a", 0.9, 10), P("b", 0.95, 20), P("c", 0.93, 30), P("d", 0.99, 100), P("e", 0.85, 15)];
    const f = paretoFrontier(pts);
    expect(f.filter((p) => p.onFrontier).map((p) => p.model)).toEqual(["a", "b", "d"]);
    expect(f.find((p) => p.model === "c")!.dominatedBy).toEqual(["b"]);
    expect(f.find((p) => p.model === "e")!.dominatedBy).toEqual(["a"]);
    expect(f.map((p) => p.model)).toEqual(["a", "e", "b", "c", "d"]); // sorted by cost
  });

  it("equal accuracy: the cheaper dominates; equal cost: the more accurate dominates", () => {
    expect(dominates(P("x", 0.9, 10), P("y", 0.9, 11))).toBe(true);
    expect(dominates(P("x", 0.91, 10), P("y", 0.9, 10))).toBe(true);
    expect(dominates(P("x", 0.9, 10), P("y", 0.9, 10))).toBe(false);
  });

  it("ties: identical points both stay on the frontier, marked tied", () => {
    const f = paretoFrontier([P("a", 0.9, 10), P("b", 0.9, 10), P("c", 0.8, 20)]);
    expect(f.find((p) => p.model === "a")).toMatchObject({ onFrontier: true, tiedWith: ["b"] });
    expect(f.find((p) => p.model === "b")).toMatchObject({ onFrontier: true, tiedWith: ["a"] });
    expect(f.find((p) => p.model === "c")!.dominatedBy.sort()).toEqual(["a", "b"]);
  });

  it("frontierLine is the staircase, cheapest first; empty and single inputs work", () => {
    expect(frontierLine([P("d", 0.99, 100), P("a", 0.9, 10), P("c", 0.8, 50)]).map((p) => p.model)).toEqual(["a", "d"]);
    expect(paretoFrontier([])).toEqual([]);
    expect(paretoFrontier([P("solo", 0.5, 5)])[0].onFrontier).toBe(true);
  });
});
