// Bundles the inference worker (lib/runtime/worker/entry.ts and the model pipelines it runs) into
// build/runtime-worker.mjs. Workers are started by absolute path from the server, outside Next's bundle;
// native packages stay external and load from node_modules.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
await build({
  entryPoints: [path.join(root, "lib/runtime/worker/entry.ts")],
  outfile: path.join(root, "build/runtime-worker.mjs"),
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
console.log("[pareto] built build/runtime-worker.mjs");
