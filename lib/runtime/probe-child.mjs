// Test-loads one ONNX file with ONNX Runtime and reports its input and output names: the child process of
// lib/runtime/probe.ts. A plain ES module, not bundled: probe.ts starts it by absolute path (from `next start`'s
// server bundle and from tsx scripts alike) and it loads onnxruntime-node from the project root given in argv.
// No custom-op library is ever registered: an operator ONNX Runtime lacks fails the load.
// Usage: node probe-child.mjs <project root> <model path>. Prints one JSON line.
import { createRequire } from "node:module";
import path from "node:path";

const [root, file] = process.argv.slice(2);
const reply = (m) => process.stdout.write(`${JSON.stringify(m)}\n`);

try {
  const ort = createRequire(path.join(root, "package.json"))("onnxruntime-node");
  const version = ort.env.versions?.node ?? ort.env.versions?.common ?? "";
  try {
    const session = await ort.InferenceSession.create(file, {
      executionProviders: ["cpu"],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      enableCpuMemArena: false,
    });
    reply({ ok: true, version, inputNames: session.inputNames, outputNames: session.outputNames });
    await session.release();
  } catch (e) {
    reply({ ok: false, version, message: e instanceof Error ? e.message : String(e) });
  }
} catch (e) {
  reply({ ok: false, version: "", setup: true, message: e instanceof Error ? e.message : String(e) });
}
