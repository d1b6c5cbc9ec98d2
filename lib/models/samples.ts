import "server-only";
import fs from "node:fs";
import path from "node:path";

export interface Sample {
  id: string;
  file: string;
  kind: "image" | "audio";
  title: { en: string; zh: string };
  expected: unknown;
}

let cache: Sample[] | undefined;

/** The example inputs shipped in public/samples (rendered and synthesised by scripts/eval). */
export function samples(): Sample[] {
  cache ??= JSON.parse(fs.readFileSync(path.join(/*turbopackIgnore: true*/ process.cwd(), "public", "samples", "manifest.json"), "utf8")) as Sample[];
  return cache;
}
