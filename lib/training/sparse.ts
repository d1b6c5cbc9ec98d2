/** A dataset's texts featurized once per featurizer config, as compressed sparse rows. */
import { featurize, type FeaturizerConfig } from "@/lib/models/text/featurize";

export interface SparseRows {
  n: number;
  /** Row r's features are indices/values[indptr[r] .. indptr[r + 1]). */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

export function featurizeAll(texts: readonly string[], cfg: FeaturizerConfig): SparseRows {
  const rows = texts.map((t) => featurize(t, cfg));
  const indptr = new Int32Array(texts.length + 1);
  rows.forEach((r, i) => (indptr[i + 1] = indptr[i] + r.indices.length));
  const indices = new Int32Array(indptr[texts.length]);
  const values = new Float32Array(indptr[texts.length]);
  rows.forEach((r, i) => {
    indices.set(r.indices, indptr[i]);
    values.set(r.values, indptr[i]);
  });
  return { n: texts.length, indptr, indices, values };
}
