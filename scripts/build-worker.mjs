// Bundles the worker threads: the inference worker (lib/runtime/worker/entry.ts and the model pipelines it runs) into
// build/runtime-worker.mjs, the training worker (lib/training/worker/entry.ts: dataset reading and the trainer) into
// build/training-worker.mjs, the job input reader (lib/jobs/inputs/worker/entry.ts: PDF rendering, image and audio
// decoding) into build/job-input-worker.mjs. Workers are started by absolute path from the server (and the CLI), outside Next's
// bundle; native packages stay external and load from node_modules.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// pdf.js stays external: its in-thread "fake worker" loads pdf.worker.mjs by a path relative to its own file, and
// @napi-rs/canvas is native. The WebAssembly audio decoders bundle fine but stay external too: each reader thread
// then loads only its format's decoder (inlined, their embedded wasm made the bundle 4.4 MB and every thread ~40 MB
// larger, WAV and PDF ones included).
const JOB_INPUT_EXTERNAL = ["pdfjs-dist", "@napi-rs/canvas", "@wasm-audio-decoders/flac", "mpg123-decoder", "ogg-opus-decoder", "@audio/decode-aac"];
for (const [entry, out, extra] of [
  ["lib/runtime/worker/entry.ts", "build/runtime-worker.mjs", []],
  ["lib/training/worker/entry.ts", "build/training-worker.mjs", []],
  ["lib/jobs/inputs/worker/entry.ts", "build/job-input-worker.mjs", JOB_INPUT_EXTERNAL],
]) {
  await build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, out),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    tsconfig: path.join(root, "tsconfig.json"),
    external: ["onnxruntime-node", "sharp", ...extra],
    // ESM output still needs `require` for CommonJS dependencies that esbuild inlines.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
  console.log(`[pareto] built ${out}`);
}
