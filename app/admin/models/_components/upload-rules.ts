/**
 * What the "bring a model" form checks before sending (the server checks all of it again): the id and version
 * patterns of the admin API, the files each task needs, and the size limit. Pure, so unit tests can table it.
 */
import { MODEL_ID, VERSION } from "@/lib/api/schemas/registry";
import { bytes } from "@/app/models/_components/format";

export type UploadTask = "tensor" | "vad" | "ocr";

export interface FileSlot {
  field: "file" | "det" | "rec" | "cls" | "dict" | "eval";
  required: boolean;
  accept: string;
}

export const FILE_SLOTS: Readonly<Record<UploadTask, readonly FileSlot[]>> = {
  tensor: [
    { field: "file", required: true, accept: ".onnx" },
    { field: "eval", required: false, accept: ".jsonl,.json,.txt" },
  ],
  vad: [{ field: "file", required: true, accept: ".onnx" }],
  ocr: [
    { field: "det", required: true, accept: ".onnx" },
    { field: "rec", required: true, accept: ".onnx" },
    { field: "cls", required: false, accept: ".onnx" },
    { field: "dict", required: true, accept: ".txt" },
  ],
};


/** Problems by field; values are catalog keys under registry.upload (the form renders them). */
export type Problems = Partial<Record<string, { key: "errId" | "errVersion" | "errRequired" | "errTooLarge" | "errNeedMetric"; vars?: Record<string, string | number> }>>;

export interface Draft {
  id?: string;
  version: string;
  task: UploadTask;
  evalMetric: string;
  files: Partial<Record<FileSlot["field"], { name: string; size: number } | null>>;
}

export function checkDraft(d: Draft, maxMb: number, opts: { newModel: boolean }): Problems {
  const out: Problems = {};
  if (opts.newModel && !MODEL_ID.test(d.id ?? "")) out.id = { key: "errId" };
  // An empty version on a new model means the API's default ("1"); a new version must be named.
  if ((d.version || !opts.newModel) && !VERSION.test(d.version)) out.version = { key: "errVersion" };
  for (const slot of FILE_SLOTS[d.task]) {
    const f = d.files[slot.field];
    if (!f) {
      if (slot.required) out[slot.field] = { key: "errRequired" };
    } else if (f.size > maxMb * 1024 * 1024) {
      out[slot.field] = { key: "errTooLarge", vars: { name: f.name, size: bytes(f.size), max: maxMb } };
    }
  }
  if (d.task === "tensor" && d.files.eval && !d.evalMetric) out.eval_metric = { key: "errNeedMetric" };
  return out;
}
