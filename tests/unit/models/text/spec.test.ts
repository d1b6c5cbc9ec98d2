import { describe, expect, it } from "vitest";
import { isDomainError } from "@/lib/models/errors";
import { parseTextSpec, TEXT_METADATA_KEY, type TextModelSpec } from "@/lib/models/text/spec";

const good: TextModelSpec = { labels: ["ham", "spam"], featurizer: { buckets: 2 ** 16, char: [1, 4], word: [1, 2], maxFeatures: 2048 }, kind: "linear" };

function withFeaturizer(patch: Record<string, unknown>): string {
  return JSON.stringify({ ...good, featurizer: { ...good.featurizer, ...patch } });
}

describe("parseTextSpec", () => {
  it("round-trips a valid spec (and the key is the contract's)", () => {
    expect(TEXT_METADATA_KEY).toBe("pareto.text");
    expect(parseTextSpec(JSON.stringify(good))).toEqual(good);
    const mlp = { ...good, kind: "mlp", featurizer: { ...good.featurizer, word: null } };
    expect(parseTextSpec(JSON.stringify(mlp))).toEqual(mlp);
  });

  it.each([
    ["not JSON", "{labels:", /not JSON/],
    ["an array", "[]", /JSON object/],
    ["one label", JSON.stringify({ ...good, labels: ["ham"] }), /labels/],
    ["duplicate labels", JSON.stringify({ ...good, labels: ["a", "a"] }), /distinct/],
    ["an empty label", JSON.stringify({ ...good, labels: ["a", ""] }), /non-empty/],
    ["a numeric label", JSON.stringify({ ...good, labels: ["a", 3] }), /non-empty string/],
    ["unknown kind", JSON.stringify({ ...good, kind: "tree" }), /kind/],
    ["no featurizer", JSON.stringify({ ...good, featurizer: undefined }), /featurizer must be an object/],
    ["buckets not a power of two", withFeaturizer({ buckets: 3000 }), /power of two/],
    ["buckets too small", withFeaturizer({ buckets: 512 }), /power of two/],
    ["buckets too large", withFeaturizer({ buckets: 2 ** 23 }), /power of two/],
    ["maxFeatures 0", withFeaturizer({ maxFeatures: 0 }), /maxFeatures/],
    ["maxFeatures fractional", withFeaturizer({ maxFeatures: 1.5 }), /maxFeatures/],
    ["char reversed", withFeaturizer({ char: [4, 1] }), /char/],
    ["char from 0", withFeaturizer({ char: [0, 3] }), /char/],
    ["char too long", withFeaturizer({ char: [1, 9] }), /char/],
    ["word of three", withFeaturizer({ word: [1, 2, 3] }), /word/],
    ["word missing", JSON.stringify({ ...good, featurizer: { buckets: 1024, char: [1, 2], maxFeatures: 10 } }), /both char and word/],
    ["neither n-gram kind", withFeaturizer({ char: null, word: null }), /character or word/],
  ])("refuses %s with invalid_model", (_, json, message) => {
    let caught: unknown;
    try {
      parseTextSpec(json);
    } catch (e) {
      caught = e;
    }
    expect(isDomainError(caught) && caught.code).toBe("invalid_model");
    expect((caught as Error).message).toMatch(message);
  });
});
