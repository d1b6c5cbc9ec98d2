/**
 * Generates the labelled OCR evaluation set: tests/eval-data/ocr/<id>.png|jpg + labels.json.
 *
 *   npx tsx scripts/eval/make-ocr-set.ts
 *
 * Everything is rendered here from SVG with sharp (librsvg) using DejaVu and Noto CJK fonts; all
 * randomness comes from a seeded PRNG, so re-running produces byte-identical files on the same machine.
 * See scripts/eval/README.md.
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { makeRng, seedFor, type Rng } from "./lib/prng";
import { assertInDictionary } from "./lib/ocr-dict";
import {
  FONT_CJK_SANS,
  FONT_CJK_SERIF,
  FONT_SANS,
  FONT_SERIF,
  assertInkInside,
  layoutBlock,
  type TextStyle,
} from "./lib/text-render";

const SEED = 20240611;
const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(ROOT, "tests/eval-data/ocr");
const MAX_WIDTH = 1600;

type Lang = "zh" | "en" | "mixed";
interface Entry {
  lang: Lang;
  lines: string[];
}

// ---------------------------------------------------------------------------------------------
// Content. Every character must be in ppocr_keys_v1.txt (checked below). Single spaces only.
// ---------------------------------------------------------------------------------------------
const ZH: string[] = [
  "今天天气很好，我们一起去公园散步。",
  "请在出口处出示您的车票。",
  "会议将于下午三点在二楼会议室举行。",
  "本店营业时间为每天早上九点至晚上十点。",
  "欢迎使用自助服务终端",
  "请保管好您的随身物品",
  "北京市海淀区中关村大街一号",
  "禁止吸烟，违者罚款二百元。",
  "注意安全，小心地滑。",
  "春眠不觉晓，处处闻啼鸟。",
  "图书馆将于国庆节期间闭馆三天。",
  "订单已发货，预计明天送达。",
  "温馨提示：电梯维修中，请走楼梯。",
  "人工智能正在改变我们的生活方式。",
  "价格：￥128.00（含税）",
  "第三章 数据的收集与整理",
];

const EN: string[] = [
  "The quick brown fox jumps over the lazy dog.",
  "Please keep your ticket until the end of the journey.",
  "Total amount due: $42.75 (incl. tax)",
  "Meeting moved to Room 204 at 3:30 PM.",
  "Call us at +1 (555) 010-2024 for support.",
  "Order #58213 shipped on 2024-03-18.",
  "Do not leave bags unattended.",
  "Open Monday to Friday, 9:00 - 17:30",
  "Temperature today: 23°C, humidity 61%.",
  "All models run locally on your own hardware.",
  "Version 2.4.1 fixes three known issues.",
  "Exit only - no entry for vehicles",
  "Welcome to the city museum!",
  "Save 20% on orders over $50.",
  "Platform 3: the train to Cambridge departs at 10:15",
  '"Simple things should be simple."',
];

const MIXED: string[] = [
  "请扫描二维码下载 App",
  "本周 GPU 使用率为 87%",
  "发票号码：INV-2024-0815",
  "下载速度 12.5 MB/s，剩余时间 3 分钟",
  "登录 Wi-Fi 密码：pareto2024",
  "使用 PaddleOCR 识别中文和 English 文本",
  "第 5 号站台 Platform 5",
  "客服电话 400-100-2024（工作日 9:00-18:00）",
  "模型版本 PP-OCRv4，支持中英文",
  "出口 Exit 请走这边",
];

const PARA: Entry[] = [
  { lang: "en", lines: ["Dear customer,", "your parcel will arrive on Friday", "between 10:00 and 14:00."] },
  {
    lang: "en",
    lines: ["Terms and conditions apply.", "Offer valid until 31 May 2024.", "Not available in all stores.", "See our website for details."],
  },
  { lang: "en", lines: ["Step 1: Upload an image.", "Step 2: Choose a model.", "Step 3: Read the results."] },
  { lang: "en", lines: ["Room 101", "Quiet study area"] },
  {
    lang: "zh",
    lines: ["各位居民：", "本小区将于本周六上午八点至十二点停水，", "请提前做好储水准备。", "给您带来不便，敬请谅解。"],
  },
  { lang: "zh", lines: ["床前明月光，", "疑是地上霜。", "举头望明月，", "低头思故乡。"] },
  { lang: "zh", lines: ["营业时间", "周一至周五 9:00-21:00", "周末及节假日 10:00-22:00"] },
  {
    lang: "mixed",
    lines: ["产品名称：智能音箱 Mini", "型号：SP-200", "输入电压：5V / 2A", "产地：中国深圳", "保修期：12 个月"],
  },
  { lang: "mixed", lines: ["会议议程 Agenda", "1. 项目进展 Project update", "2. 预算讨论 Budget review", "3. 问答环节 Q&A"] },
];

// ---------------------------------------------------------------------------------------------
// Looks
// ---------------------------------------------------------------------------------------------
interface Palette {
  bg: string;
  fg: string;
  tag?: string;
}
const PALETTES: Palette[] = [
  { bg: "#ffffff", fg: "#111111" },
  { bg: "#ffffff", fg: "#000000" },
  { bg: "#f6f1e7", fg: "#2b2b2b" },
  { bg: "#eef4fb", fg: "#0b2a5b" },
  { bg: "#fffbea", fg: "#7a1010" },
  { bg: "#e8f5e9", fg: "#1b5e20" },
  { bg: "#1f2933", fg: "#f5f7fa", tag: "inverted" },
];
const LOW_CONTRAST: Palette[] = [
  { bg: "#c8c8c8", fg: "#8a8a8a" },
  { bg: "#f0f0f0", fg: "#b0b0b0" },
  { bg: "#d9cbb0", fg: "#9c8b6e" },
  { bg: "#5a5a5a", fg: "#8e8e8e" },
  { bg: "#dfe7ef", fg: "#9fb0c2" },
];

function pickFamily(rng: Rng, lang: Lang): string {
  if (lang === "en") {
    const r = rng.next();
    return r < 0.5 ? FONT_SANS : r < 0.7 ? FONT_SERIF : FONT_CJK_SANS;
  }
  return rng.next() < 0.6 ? FONT_CJK_SANS : FONT_CJK_SERIF;
}

// ---------------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------------
type Degradation = "rotated" | "rot180" | "blur" | "noise" | "lowcontrast" | "jpeg" | "wide" | Heavy;
/** The heavily degraded groups: each has three levels (mild → severe) of Chinese, English and mixed text. */
type Heavy = "heavyblur" | "lowres" | "heavyjpeg";

/**
 * Per level: blur sigma as a multiple of the font size; the font size in px the render is downscaled to;
 * JPEG quality (of a render at 16–22 px). Severe enough that the recogniser's confidence drops inside words,
 * where issue 12 saw us lose characters that @gutenye/ocr-node kept.
 */
const HEAVY_LEVELS: Record<Heavy, readonly number[]> = {
  heavyblur: [0.07, 0.09, 0.11],
  lowres: [14, 11, 9],
  heavyjpeg: [15, 10, 6],
};

interface Spec {
  id: string;
  entry: Entry;
  degradation?: Degradation;
  /** Index into HEAVY_LEVELS for the heavy groups. */
  level?: number;
}

function one(lang: Lang, line: string): Entry {
  return { lang, lines: [line] };
}

function interleave<T>(...lists: T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(...lists.map((l) => l.length)); i++) for (const l of lists) if (i < l.length) out.push(l[i]);
  return out;
}

function buildSpecs(): Spec[] {
  const pad = (n: number) => String(n).padStart(2, "0");
  const specs: Spec[] = [];
  ZH.slice(0, 10).forEach((l, i) => specs.push({ id: `zh-${pad(i + 1)}`, entry: one("zh", l) }));
  EN.slice(0, 10).forEach((l, i) => specs.push({ id: `en-${pad(i + 1)}`, entry: one("en", l) }));
  MIXED.slice(0, 8).forEach((l, i) => specs.push({ id: `mixed-${pad(i + 1)}`, entry: one("mixed", l) }));
  PARA.forEach((e, i) => specs.push({ id: `para-${pad(i + 1)}`, entry: e }));

  // Degraded variants draw from a pool that starts with the lines not used above.
  const pool: Entry[] = [
    ...interleave(
      ZH.slice(10).map((l) => one("zh", l)),
      EN.slice(10).map((l) => one("en", l)),
      MIXED.slice(8).map((l) => one("mixed", l)),
    ),
    ...interleave(
      PARA,
      ZH.slice(0, 10).map((l) => one("zh", l)),
      EN.slice(0, 10).map((l) => one("en", l)),
      MIXED.slice(0, 8).map((l) => one("mixed", l)),
    ),
  ];
  let cursor = 0;
  const groups: [Degradation, number][] = [
    ["rotated", 7],
    ["rot180", 5],
    ["blur", 5],
    ["noise", 5],
    ["lowcontrast", 5],
    ["jpeg", 6],
    ["wide", 5],
  ];
  for (const [deg, n] of groups) {
    for (let i = 0; i < n; i++) {
      let entry = pool[cursor++ % pool.length];
      // wide images want long text: prefer paragraphs / long English lines
      if (deg === "wide") entry = [PARA[1], one("en", EN[14]), PARA[4], one("mixed", MIXED[7]), PARA[8]][i];
      specs.push({ id: `${deg}-${pad(i + 1)}`, entry, degradation: deg });
    }
  }

  // Heavy groups: item i is language i % 3 at level ⌊i / 3⌋; nine entries per language, each used once over the
  // three groups. English includes the doubled letters of issue 12's report ("keep", "will", "until").
  const heavyPool: Record<Lang, Entry[]> = {
    zh: [PARA[4], one("zh", ZH[1]), PARA[5], one("zh", ZH[8]), PARA[6], one("zh", ZH[12]), one("zh", ZH[3]), one("zh", ZH[11]), one("zh", ZH[5])],
    en: [one("en", EN[1]), PARA[0], one("en", EN[6]), PARA[2], one("en", EN[9]), PARA[1], one("en", EN[4]), PARA[3], one("en", EN[12])],
    mixed: [PARA[7], one("mixed", MIXED[0]), PARA[8], one("mixed", MIXED[5]), one("mixed", MIXED[3]), one("mixed", MIXED[7]), one("mixed", MIXED[6]), one("mixed", MIXED[2]), one("mixed", MIXED[8])],
  };
  const langs: Lang[] = ["zh", "en", "mixed"];
  (["heavyblur", "lowres", "heavyjpeg"] as const).forEach((deg, g) => {
    for (let i = 0; i < 9; i++) {
      const level = Math.floor(i / 3);
      const entry = heavyPool[langs[i % 3]][g * 3 + level];
      specs.push({ id: `${deg}-${pad(i + 1)}`, entry, degradation: deg, level });
    }
  });
  return specs;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------
interface Label {
  file: string;
  lines: string[];
  tags: string[];
  width: number;
  height: number;
  font: string;
  fontSize: number;
}

async function render(spec: Spec): Promise<{ file: string; data: Buffer; label: Label }> {
  const rng = makeRng(seedFor(SEED, spec.id));
  const { entry, degradation: deg } = spec;
  const tags: string[] = [entry.lang];
  if (entry.lines.length > 1) tags.push("multiline");

  const family = pickFamily(rng, entry.lang);
  let size: number;
  if (deg === "wide") size = rng.int(30, 44);
  else if (deg === "heavyjpeg") size = rng.int(16, 22);
  else if (deg) size = rng.int(22, 44);
  else size = rng.next() < 0.3 ? rng.int(16, 20) : rng.int(20, 48);
  const weight = rng.next() < 0.2 ? "bold" : "normal";
  const palette = deg === "lowcontrast" ? rng.pick(LOW_CONTRAST) : rng.pick(PALETTES);
  const align = entry.lines.length > 1 ? rng.pick(["left", "left", "center"] as const) : "left";
  const lineHeight = rng.range(1.35, 1.9);

  // Pick the layout; shrink the font until the block fits within MAX_WIDTH.
  let layout;
  for (;;) {
    const style: TextStyle = { family, size, weight, fill: palette.fg };
    const margin = Math.round(size * rng.range(0.6, 1.4)) + 8;
    const minWidth = deg === "wide" ? rng.int(1200, MAX_WIDTH) : rng.next() < 0.3 ? rng.int(300, 900) : 0;
    const minHeight = deg === "wide" ? rng.int(300, 700) : 0;
    layout = await layoutBlock({
      lines: entry.lines,
      style,
      align,
      lineHeight,
      margin,
      minWidth,
      minHeight,
      posX: rng.next(),
      posY: rng.next(),
    });
    if (layout.width <= MAX_WIDTH) break;
    size -= 2;
  }
  // Size tags (and the label's fontSize) describe the pixels the pipeline gets: lowres renders are shrunk below.
  const seenSize = deg === "lowres" ? HEAVY_LEVELS.lowres[spec.level!] : size;
  if (seenSize <= 20) tags.push("small-font");
  if (seenSize >= 40) tags.push("large-font");
  if (family === FONT_CJK_SERIF || family === FONT_SERIF) tags.push("serif");
  if (weight === "bold") tags.push("bold");
  if (palette.tag) tags.push(palette.tag);

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">` +
    `<rect width="${layout.width}" height="${layout.height}" fill="${palette.bg}"/>` +
    layout.elements +
    `</svg>`;
  let img: Buffer = await sharp(Buffer.from(svg)).flatten({ background: palette.bg }).png().toBuffer();
  await assertInkInside(img, palette.bg, 4, spec.id);

  let ext = "png";
  let jpegQuality = 0;
  switch (deg) {
    case undefined:
      tags.push("clean");
      break;
    case "rotated": {
      const angle = Math.round((rng.bool() ? 1 : -1) * rng.range(5, 10) * 10) / 10;
      img = await sharp(img).rotate(angle, { background: palette.bg }).png().toBuffer();
      tags.push("rotated", `angle${angle > 0 ? "+" : ""}${angle}`);
      break;
    }
    case "rot180":
      img = await sharp(img).rotate(180).png().toBuffer();
      tags.push("rot180");
      break;
    case "blur": {
      const sigma = Math.round(rng.range(0.8, 1.5) * Math.max(1, size / 28) * 10) / 10;
      img = await sharp(img).blur(sigma).png().toBuffer();
      tags.push("blur", `sigma${sigma}`);
      break;
    }
    case "noise": {
      const sigma = rng.int(10, 28);
      img = await addNoise(img, sigma, rng);
      tags.push("noise", `noise${sigma}`);
      break;
    }
    case "lowcontrast":
      tags.push("lowcontrast");
      break;
    case "jpeg":
      jpegQuality = rng.int(30, 50);
      ext = "jpg";
      tags.push("jpeg", `q${jpegQuality}`);
      break;
    case "wide":
      tags.push("wide");
      break;
    case "heavyblur": {
      const sigma = Math.round(HEAVY_LEVELS.heavyblur[spec.level!] * size * 10) / 10;
      img = await sharp(img).blur(sigma).png().toBuffer();
      tags.push("heavyblur", `sigma${sigma}`);
      break;
    }
    case "lowres": {
      // sharp's default kernel (Lanczos 3), as a thumbnailer or a phone's downscale would do.
      const target = HEAVY_LEVELS.lowres[spec.level!];
      const meta = await sharp(img).metadata();
      img = await sharp(img).resize({ width: Math.round((meta.width! * target) / size) }).png().toBuffer();
      tags.push("lowres", `px${target}`);
      break;
    }
    case "heavyjpeg":
      jpegQuality = HEAVY_LEVELS.heavyjpeg[spec.level!];
      ext = "jpg";
      tags.push("heavyjpeg", `q${jpegQuality}`);
      break;
  }

  const out = ext === "jpg" ? await sharp(img).jpeg({ quality: jpegQuality }).toBuffer() : await sharp(img).png({ compressionLevel: 9 }).toBuffer();
  const meta = await sharp(out).metadata();
  const file = `${spec.id}.${ext}`;
  return {
    file,
    data: out,
    label: { file, lines: entry.lines, tags, width: meta.width!, height: meta.height!, font: family, fontSize: seenSize },
  };
}

/** Gaussian luminance noise (std `sigma` on the 0..255 scale), same offset on every channel of a pixel. */
async function addNoise(img: Buffer, sigma: number, rng: Rng): Promise<Buffer> {
  const { data, info } = await sharp(img).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = Buffer.alloc(data.length);
  const ch = info.channels;
  for (let p = 0; p < data.length; p += ch) {
    const n = Math.round(sigma * rng.gauss());
    for (let c = 0; c < ch; c++) {
      const v = data[p + c] + n;
      out[p + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return sharp(out, { raw: { width: info.width, height: info.height, channels: info.channels } }).png().toBuffer();
}

async function main(): Promise<void> {
  const specs = buildSpecs();
  for (const s of specs) assertInDictionary(s.entry.lines, s.id);
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (/\.(png|jpg|json)$/.test(f)) fs.rmSync(path.join(OUT, f));

  const labels: Label[] = [];
  let bytes = 0;
  for (const spec of specs) {
    const { file, data, label } = await render(spec);
    fs.writeFileSync(path.join(OUT, file), data);
    labels.push(label);
    bytes += data.length;
  }
  fs.writeFileSync(path.join(OUT, "labels.json"), JSON.stringify(labels, null, 2) + "\n");
  const count = (t: string) => labels.filter((l) => l.tags.includes(t)).length;
  console.log(
    `OCR set: ${labels.length} images, ${(bytes / 1024).toFixed(0)} KiB -> ${path.relative(ROOT, OUT)} ` +
      `(zh ${count("zh")}, en ${count("en")}, mixed ${count("mixed")}, multiline ${count("multiline")}, ` +
      `max width ${Math.max(...labels.map((l) => l.width))}px)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
