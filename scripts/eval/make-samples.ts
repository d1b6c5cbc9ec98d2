/**
 * Generates the web playground samples: public/samples/*.png|wav + manifest.json.
 *
 *   npx tsx scripts/eval/make-samples.ts
 *
 * Same machinery and determinism guarantees as the eval sets (see scripts/eval/README.md).
 */
import fs from "node:fs";
import path from "node:path";
import sharp from "sharp";
import { encodeWav, mix, round3, type Utterance } from "./lib/audio";
import { assertInDictionary } from "./lib/ocr-dict";
import { makeRng } from "./lib/prng";
import {
  FONT_CJK_SANS,
  FONT_CJK_SERIF,
  FONT_SANS,
  measureInk,
  textElement,
  type TextStyle,
} from "./lib/text-render";

const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(ROOT, "public/samples");
const SEED = 20240613;

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Collects text elements (in reading order) and checks every one fits inside `bounds`. */
class Canvas {
  readonly lines: string[] = [];
  private readonly parts: string[] = [];
  constructor(
    readonly width: number,
    readonly height: number,
    private readonly id: string,
  ) {}
  shape(svg: string): void {
    this.parts.push(svg);
  }
  /** Place text so its ink starts at `x` (or is centred / right-aligned on x) with baseline `y`. */
  async text(
    text: string,
    style: TextStyle,
    x: number,
    y: number,
    bounds: Box,
    align: "left" | "center" | "right" = "left",
  ): Promise<void> {
    const ink = await measureInk(text, style);
    const inkX = align === "left" ? x : align === "center" ? Math.round(x - ink.width / 2) : x - ink.width;
    const box = { x0: inkX, y0: y + ink.top, x1: inkX + ink.width, y1: y + ink.top + ink.height };
    if (box.x0 < bounds.x0 || box.y0 < bounds.y0 || box.x1 > bounds.x1 || box.y1 > bounds.y1) {
      throw new Error(`${this.id}: "${text}" does not fit (${JSON.stringify(box)} vs ${JSON.stringify(bounds)})`);
    }
    this.parts.push(textElement(text, inkX - ink.left, y, style));
    this.lines.push(text);
  }
  svg(): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${this.width}" height="${this.height}">${this.parts.join("")}</svg>`;
  }
}

async function signEn(): Promise<Canvas> {
  const W = 800;
  const H = 560;
  const c = new Canvas(W, H, "sign-en");
  c.shape(
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#dfe9f3"/><stop offset="1" stop-color="#c3d3e6"/></linearGradient></defs>` +
      `<rect width="${W}" height="${H}" fill="url(#bg)"/>` +
      `<rect x="66" y="50" width="680" height="470" rx="22" fill="#000" fill-opacity="0.12"/>` +
      `<rect x="60" y="42" width="680" height="470" rx="22" fill="#ffffff"/>` +
      `<path d="M60 64 a22 22 0 0 1 22 -22 h636 a22 22 0 0 1 22 22 v96 h-680 z" fill="#1d4e89"/>` +
      `<rect x="100" y="400" width="600" height="2" fill="#d5dde8"/>`,
  );
  const inner: Box = { x0: 80, y0: 50, x1: 720, y1: 505 };
  await c.text("Riverside Library", { family: FONT_SANS, size: 44, weight: "bold", fill: "#ffffff" }, W / 2, 118, inner, "center");
  const row: TextStyle = { family: FONT_SANS, size: 28, fill: "#1f2933" };
  await c.text("Opening Hours", { family: FONT_SANS, size: 30, weight: "bold", fill: "#1d4e89" }, W / 2, 218, inner, "center");
  await c.text("Monday - Friday: 9:00 - 20:00", row, W / 2, 276, inner, "center");
  await c.text("Saturday: 10:00 - 18:00", row, W / 2, 322, inner, "center");
  await c.text("Sunday & holidays: closed", row, W / 2, 368, inner, "center");
  await c.text("Free Wi-Fi for all members", { family: FONT_SANS, size: 24, fill: "#52606d" }, W / 2, 456, inner, "center");
  return c;
}

async function noticeZh(): Promise<Canvas> {
  const W = 800;
  const H = 620;
  const c = new Canvas(W, H, "notice-zh");
  c.shape(
    `<rect width="${W}" height="${H}" fill="#fbf7ef"/>` +
      `<rect x="24" y="24" width="${W - 48}" height="${H - 48}" fill="none" stroke="#b3261e" stroke-width="4"/>` +
      `<rect x="34" y="34" width="${W - 68}" height="${H - 68}" fill="none" stroke="#b3261e" stroke-width="1.5"/>` +
      `<rect x="300" y="142" width="200" height="3" fill="#b3261e"/>`,
  );
  const inner: Box = { x0: 60, y0: 44, x1: W - 60, y1: H - 44 };
  await c.text("停水通知", { family: FONT_CJK_SERIF, size: 56, weight: "bold", fill: "#b3261e" }, W / 2, 118, inner, "center");
  const body: TextStyle = { family: FONT_CJK_SANS, size: 28, fill: "#262626" };
  await c.text("各位居民：", body, 80, 212, inner);
  await c.text("因供水管道维修，本小区将于", body, 136, 262, inner);
  await c.text("6月20日 8:00 至 18:00 暂停供水。", body, 80, 312, inner);
  await c.text("请提前做好储水准备，", body, 136, 362, inner);
  await c.text("给您带来不便，敬请谅解。", body, 80, 412, inner);
  const sign: TextStyle = { family: FONT_CJK_SANS, size: 26, fill: "#262626" };
  await c.text("物业服务中心", sign, W - 90, 504, inner, "right");
  await c.text("2024年6月18日", sign, W - 90, 548, inner, "right");
  return c;
}

async function mixedCard(): Promise<Canvas> {
  const W = 800;
  const H = 500;
  const c = new Canvas(W, H, "mixed-card");
  c.shape(
    `<rect width="${W}" height="${H}" fill="#f3f0fa"/>` +
      `<rect x="40" y="40" width="720" height="420" rx="18" fill="#ffffff" stroke="#ddd6f3" stroke-width="2"/>` +
      `<rect x="40" y="40" width="12" height="420" rx="6" fill="#6d4aff"/>` +
      `<rect x="80" y="208" width="640" height="2" fill="#ece8f8"/>`,
  );
  const inner: Box = { x0: 60, y0: 48, x1: 745, y1: 452 };
  await c.text("人工智能技术交流会", { family: FONT_CJK_SANS, size: 40, weight: "bold", fill: "#2d1b69" }, 80, 116, inner);
  await c.text("AI Tech Meetup 2024", { family: FONT_SANS, size: 30, fill: "#6d4aff" }, 80, 170, inner);
  const row: TextStyle = { family: FONT_CJK_SANS, size: 25, fill: "#333333" };
  await c.text("时间 Time：6月22日 14:00-17:00", row, 80, 269, inner);
  await c.text("地点 Venue：深圳市南山区科技园 A 座 3 楼", row, 80, 327, inner);
  await c.text("报名 Sign up：meetup.example.com", row, 80, 385, inner);
  return c;
}

interface ManifestItem {
  id: string;
  file: string;
  kind: "image" | "audio";
  title: { en: string; zh: string };
  expected: string[] | [number, number][];
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
  durationS?: number;
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  const manifest: ManifestItem[] = [];

  const images: [string, () => Promise<Canvas>, { en: string; zh: string }][] = [
    ["sign-en", signEn, { en: "Library opening hours (English sign)", zh: "图书馆开放时间（英文标牌）" }],
    ["notice-zh", noticeZh, { en: "Water outage notice (Chinese)", zh: "停水通知（中文）" }],
    ["mixed-card", mixedCard, { en: "Meetup card (Chinese + English, multi-line)", zh: "活动卡片（中英混排，多行）" }],
  ];
  for (const [id, make, title] of images) {
    const c = await make();
    assertInDictionary(c.lines, id);
    const file = `${id}.png`;
    const png = await sharp(Buffer.from(c.svg())).flatten({ background: "#ffffff" }).png({ compressionLevel: 9 }).toBuffer();
    fs.writeFileSync(path.join(OUT, file), png);
    manifest.push({ id, file, kind: "image", title, expected: c.lines, width: c.width, height: c.height });
  }

  const audio: { id: string; title: { en: string; zh: string }; utt: Utterance[]; noise?: { kind: "pink"; snrDb: number } }[] = [
    {
      id: "speech-en",
      title: { en: "English speech with pauses", zh: "英语语音（含停顿）" },
      utt: [
        { text: "Welcome to Pareto.", voice: { voice: "en-us", speed: 160, pitch: 50 }, gain: 0.9 },
        { text: "This short clip is used to test voice activity detection.", voice: { voice: "en-gb+f3", speed: 165, pitch: 55 }, gain: 0.8 },
        { text: "Notice the pauses between sentences.", voice: { voice: "en-us+m3", speed: 170, pitch: 45 }, gain: 0.85 },
      ],
    },
    {
      id: "speech-zh-noisy",
      title: { en: "Mandarin speech with background noise", zh: "带背景噪声的普通话语音" },
      utt: [
        { text: "欢迎使用语音检测。", voice: { voice: "cmn", speed: 175, pitch: 50 }, gain: 0.85 },
        { text: "这段录音有背景噪声。", voice: { voice: "cmn+f2", speed: 175, pitch: 60 }, gain: 0.8 },
        { text: "句子之间有停顿。", voice: { voice: "cmn", speed: 175, pitch: 45 }, gain: 0.9 },
      ],
      noise: { kind: "pink", snrDb: 20 },
    },
  ];
  for (const a of audio) {
    const sr = 16000;
    const { audio: ch, intervals } = mix({
      sampleRate: sr,
      utterances: a.utt,
      leadS: 0.8,
      gapsS: [1.2, 1.6],
      tailS: 1.0,
      noise: a.noise,
      channels: 1,
      rng: makeRng(SEED),
    });
    const durationS = round3(ch[0].length / sr);
    if (durationS > 15) throw new Error(`${a.id}: ${durationS}s is longer than 15 s`);
    const file = `${a.id}.wav`;
    fs.writeFileSync(path.join(OUT, file), encodeWav(ch, sr));
    manifest.push({
      id: a.id,
      file,
      kind: "audio",
      title: a.title,
      expected: intervals.map(([s, e]): [number, number] => [round3(s / sr), round3(e / sr)]),
      sampleRate: sr,
      channels: 1,
      durationS,
    });
  }

  fs.writeFileSync(path.join(OUT, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  console.log(`samples: ${manifest.map((m) => m.file).join(", ")} -> ${path.relative(ROOT, OUT)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
