/** PaddleOCR PP-OCR pipeline (det + optional cls + rec) over `InferenceContext`. */
export { runOcr } from "./pipeline";
export { DEFAULT_OCR_OPTIONS, resolveOcrOptions, validateOcrOptions } from "./options";
export { decodeImage, sniffImageFormat } from "./decode-image";
export type { OcrDictionary, OcrGraph, OcrModels } from "./models";
export type { OcrLine, OcrOptions, OcrResult, OcrTimings, Point, Quad } from "./types";
