/** A dataset's texts featurized once per featurizer config, as compressed sparse rows. */
import { featurize, type FeaturizerConfig } from "@/lib/models/text/featurize";

export interface SparseRows {
  n: number;
  /** Row r's features are indices/values[indptr[r] .. indptr[r + 1]). */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** Features per row, estimated from up to 256 rows spread over the dataset. */
function featuresPerRow(texts: readonly string[], cfg: FeaturizerConfig): number {
  const sample = Math.min(256, texts.length);
  let sum = 0;
  for (let i = 0; i < sample; i++) sum += featurize(texts[Math.floor((i * texts.length) / sample)], cfg).indices.length;
  return sample ? sum / sample : 0;
}

/**
 * Appends row by row into buffers sized from a sample (and grown by a quarter if the sample was short): no per-row
 * arrays kept alive (they cost more than the data), and no doubling that would briefly hold three copies of a large
 * dataset.
 */
export function featurizeAll(texts: readonly string[], cfg: FeaturizerConfig): SparseRows {
  const indptr = new Int32Array(texts.length + 1);
  let indices = new Int32Array(Math.ceil(texts.length * featuresPerRow(texts, cfg) * 1.05) + 1024);
  let values = new Float32Array(indices.length);
  let nnz = 0;
  texts.forEach((t, i) => {
    const f = featurize(t, cfg);
    if (nnz + f.indices.length > indices.length) {
      const size = Math.max(nnz + f.indices.length, Math.ceil(indices.length * 1.25));
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
  // Views, not copies: the slack (a few per cent) is cheaper to keep than a second copy is to make.
  return { n: texts.length, indptr, indices: indices.subarray(0, nnz), values: values.subarray(0, nnz) };
}
