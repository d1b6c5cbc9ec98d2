import "server-only";
/** The selection runner's view of ONNX files: lib/models/onnx/inspect.ts reads them (the registry's uploads too). */
export { readOnnxMeta, type OnnxMeta, type OnnxValueInfo } from "@/lib/models/onnx/inspect";
