/** A dataset's texts featurized once per featurizer config, as compressed sparse rows. */
import { featurize, type FeaturizerConfig } from "@/lib/models/text/featurize";

export interface SparseRows {
  n: number;
  /** Row r's features are indices/values[indptr[r] .. indptr[r + 1]). */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Appends row by row into buffers that grow by half: no per-row arrays kept alive (they cost more than the data). */
export function featurizeAll(texts: readonly string[], cfg: FeaturizerConfig): SparseRows {
  const indptr = new Int32Array(texts.length + 1);
  let indices = new Int32Array(Math.max(1024, texts.length * 64));
  let values = new Float32Array(indices.length);
  let nnz = 0;
  texts.forEach((t, i) => {
    const f = featurize(t, cfg);
    if (nnz + f.indices.length > indices.length) {
      const size = Math.max(nnz + f.indices.length, Math.ceil(indices.length * 1.5));
      const grownIdx = new Int32Array(size);
      grownIdx.set(indices.subarray(0, nnz));
      indices = grownIdx;
      const grownVal = new Float32Array(size);
      grownVal.set(values.subarray(0, nnz));
      values = grownVal;
    }
    indices.set(f.indices, nnz);
    values.set(f.values, nnz);
    nnz += f.indices.length;
    indptr[i + 1] = nnz;
  });
  // Trimmed copies: the slack of the last growth is not kept for the whole search.
  return { n: texts.length, indptr, indices: indices.slice(0, nnz), values: values.slice(0, nnz) };
}
