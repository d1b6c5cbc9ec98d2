/**
 * The files one OCR pipeline runs: a detector, a recogniser, an optional angle classifier and the recogniser's
 * character dictionary. Built-in and uploaded PP-OCR models differ only here (run-entry.ts builds it from an
 * entry's files by role), so the stages take it as data instead of naming PaddleOCR's files and tensors.
 */

/** One ONNX graph of the pipeline: its session key and the name of its single input. */
export interface OcrGraph {
  key: string;
  /** PaddleOCR's exports call it "x"; other exporters pick other names. The single output is taken whatever its name. */
  input: string;
}

/** The recogniser's dictionary: a text file, one character per line. */
export interface OcrDictionary {
  key: string;
  /** Hex SHA-256 the bytes must have (uploaded files): checked before the charset is built. */
  sha256?: string;
}

export interface OcrModels {
  det: OcrGraph;
  rec: OcrGraph;
  /** Absent: the model has no angle classifier, and asking for one is an invalid option. */
  cls?: OcrGraph;
  dict: OcrDictionary;
}
