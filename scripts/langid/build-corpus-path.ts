import path from "node:path";

/** Where scripts/langid/build-corpus.ts writes the training corpus (and build-eval.ts reads it to keep them apart). */
export const TRAIN_CORPUS = path.resolve(import.meta.dirname, "../../models/langid/train-corpus.jsonl.gz");
