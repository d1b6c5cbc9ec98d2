// Bundles the worker threads: the inference worker (lib/runtime/worker/entry.ts and the model pipelines it runs) into
// build/runtime-worker.mjs, the training worker (lib/training/worker/entry.ts: dataset reading and the trainer) into
// build/training-worker.mjs. Workers are started by absolute path from the server (and the CLI), outside Next's
// bundle; native packages stay external and load from node_modules.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
for (const [entry, out] of [
  ["lib/runtime/worker/entry.ts", "build/runtime-worker.mjs"],
  ["lib/training/worker/entry.ts", "build/training-worker.mjs"],
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
    external: ["onnxruntime-node", "sharp"],
    // ESM output still needs `require` for CommonJS dependencies that esbuild inlines.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
  console.log(`[pareto] built ${out}`);
}
