/**
 * What the recogniser saw, frame by frame, for each line of one image:
 *
 *   node --conditions=react-server --import tsx bench/ocr/frames.ts IMAGE [--kernel=linear|cubic] [--top=N] [--line=K]
 *
 * IMAGE is a path or an eval-set file name (e.g. lowres-08.png). Runs our default pipeline's stages (det, line
 * merge, reading order, crop, rec) and prints, per line, the decoded text and, per CTC frame (8 px of the 48 px
 * line), the N most probable classes (∅ = blank) and the space class. `--kernel=cubic` resizes crops with the kernel
 * the recogniser used before issue 12, to see where its overshoot turns a letter into another (or into a blank).
 */
import fs from "node:fs";
import path from "node:path";
import { cropTextLine } from "@/lib/models/ocr/crop";
import { ctcGreedyDecode, loadCharset } from "@/lib/models/ocr/ctc-decode";
import { decodeImage } from "@/lib/models/ocr/decode-image";
import { detectText, onlyOutput } from "@/lib/models/ocr/detect";
import { mergeLineBoxes } from "@/lib/models/ocr/merge-lines";
import { DEFAULT_OCR_OPTIONS } from "@/lib/models/ocr/options";
import { readingOrder } from "@/lib/models/ocr/reading-order";
import { REC_H, REC_KERNEL, recPlan, writeRecInput } from "@/lib/models/ocr/recognize";
import type { ResizeKernel } from "@/lib/models/ocr/resample";
import { taskDefault } from "@/lib/models/catalog";
import { ocrModels } from "@/lib/models/run-entry";
import { float32 } from "@/lib/models/tensor";
import { directContext } from "../lib/contexts";
import { ROOT } from "../lib/data";

interface Args {
  image: string;
  kernel: ResizeKernel;
  top: number;
  line: number | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { image: "", kernel: REC_KERNEL, top: 3, line: null };
  for (const a of argv) {
    if (a === "--kernel=linear" || a === "--kernel=cubic") args.kernel = a.slice("--kernel=".length) as ResizeKernel;
    else if (a.startsWith("--top=")) args.top = Number(a.slice("--top=".length));
    else if (a.startsWith("--line=")) args.line = Number(a.slice("--line=".length));
    else if (a === "--help" || a === "-h" || a.startsWith("--")) {
      process.stdout.write(fs.readFileSync(__filename, "utf8").split("*/")[0]);
      process.exit(a.startsWith("--h") || a === "-h" ? 0 : 1);
    } else args.image = a;
  }
  if (!args.image) throw new Error("usage: frames.ts IMAGE [--kernel=linear|cubic] [--top=N] [--line=K]");
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const file = fs.existsSync(args.image) ? args.image : path.join(ROOT, "tests/eval-data/ocr", args.image);
  const ctx = directContext(1);
  const o = DEFAULT_OCR_OPTIONS;
  const models = ocrModels(taskDefault("ocr"));
  const img = await decodeImage(fs.readFileSync(file));
  const boxes = mergeLineBoxes(
    await detectText(img, { limitSide: o.detLimitSide, thresh: o.thresh, boxThresh: o.boxThresh, unclipRatio: o.unclipRatio }, ctx, models.det),
  );
  const charset = await loadCharset(models.dict);
  const label = (c: number) => (c === 0 ? "∅" : JSON.stringify(charset.chars[c]));
  let k = 0;
  for (const i of readingOrder(boxes)) {
    const crop = cropTextLine(img, boxes[i]);
    if (!crop || (args.line !== null && k++ !== args.line)) continue;
    const plan = recPlan(crop.width, crop.height);
    const input = new Float32Array(3 * REC_H * plan.bucket);
    writeRecInput(crop, plan, input, 0, args.kernel);
    const out = onlyOutput(await ctx.run(models.rec.key, { [models.rec.input]: float32(input, [1, 3, REC_H, plan.bucket]) }), "rec");
    const [, steps, classes] = out.dims;
    const probs = out.data as Float32Array;
    const decoded = ctcGreedyDecode(probs, 0, steps, classes, charset);
    process.stdout.write(`line ${crop.width}×${crop.height} px → ${plan.width} px (${args.kernel}): ${JSON.stringify(decoded.text)}\n`);
    // Frames past the crop's own width only see padding.
    for (let t = 0; t < Math.min(steps, Math.ceil(plan.width / 8) + 1); t++) {
      const row = probs.subarray(t * classes, (t + 1) * classes);
      const top = Array.from(row.keys()).sort((a, b) => row[b] - row[a]).slice(0, args.top);
      const cells = top.map((c) => `${label(c)} ${row[c].toFixed(3)}`).join("   ");
      process.stdout.write(`  t${String(t).padStart(3)}  ${cells}   (space ${row[classes - 1].toFixed(3)})\n`);
    }
  }
  await ctx.close();
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
