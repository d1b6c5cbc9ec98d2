/**
 * Generates the labelled VAD evaluation set: tests/eval-data/vad/<id>.wav + labels.json.
 *
 *   npx tsx scripts/eval/make-vad-set.ts
 *
 * Speech is synthesised with espeak-ng (resampled with sox), each utterance's leading/trailing silence is
 * trimmed (|x| > 1% of the utterance peak) and the utterance is placed at a known sample offset, so the
 * true speech intervals are known by construction. Intervals are per utterance: short pauses inside an
 * utterance (between words, at commas) count as speech. Noise/hum come from a seeded PRNG, so re-running
 * produces byte-identical files. See scripts/eval/README.md.
 */
import fs from "node:fs";
import path from "node:path";
import { encodeWav, mix, round3, type MixOptions, type Placed, type Utterance } from "./lib/audio";
import { makeRng, seedFor, type Rng } from "./lib/prng";

const SEED = 20240612;
const ROOT = path.resolve(import.meta.dirname, "../..");
const OUT = path.join(ROOT, "tests/eval-data/vad");

const EN = [
  "Turn left at the next corner.",
  "The meeting starts at nine.",
  "Please close the door behind you.",
  "It is going to rain this afternoon.",
  "Can you hear me now?",
  "The train to Oxford is delayed.",
  "My phone battery is almost empty.",
  "Thank you for calling, how can I help?",
  "We need three more chairs.",
  "The results look very promising.",
  "Send me the report by Friday.",
  "Coffee or tea?",
  "The parcel arrived this morning.",
  "Keep the volume down, please.",
  "Seven, eight, nine, ten.",
  "Our office is on the fourth floor.",
  "Let me check the calendar.",
  "The model runs on a single CPU.",
  "Dinner will be ready in ten minutes.",
  "I left my keys in the car.",
  "Yes.",
  "No, not today.",
  "The store closes at half past six.",
  "Please speak after the tone.",
  "Where is the nearest station?",
  "The temperature is twenty degrees.",
  "Everything is working as expected.",
  "Record a short message.",
];

const OTHER: Record<string, string[]> = {
  cmn: ["今天天气很好。", "请问洗手间在哪里？", "会议下午三点开始。", "谢谢你的帮助。", "我们明天见。"],
  de: ["Guten Morgen, wie geht es dir?", "Der Zug kommt um acht Uhr."],
  "fr-fr": ["Bonjour, je voudrais un café.", "Il fait beau aujourd'hui."],
  es: ["Buenos días, ¿cómo estás?", "La reunión empieza a las diez."],
  it: ["Dove si trova la stazione?", "Grazie mille per l'aiuto."],
};

const EN_VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-us-nyc", "en-029", "en-gb-x-rp"];
const VARIANTS = ["", "+f2", "+f3", "+f4", "+m3", "+m5", "+m7"];

interface ClipPlan {
  id: string;
  sampleRate: number;
  channels: 1 | 2;
  nUtt: [number, number];
  lang?: keyof typeof OTHER;
  noise?: { kind: "white" | "pink"; snrDb: number };
  hum?: { freq: 50 | 60; shrDb: number };
  leadS?: number;
  tailS?: number;
  emptyDurationS?: number;
  noiseFloorDbfs?: number;
  extraTags?: string[];
  /** fixed texts instead of the next sentences from the list */
  texts?: string[];
}

function plan(): ClipPlan[] {
  const pad = (n: number) => String(n).padStart(2, "0");
  const white = (snrDb: number) => ({ kind: "white" as const, snrDb });
  const pink = (snrDb: number) => ({ kind: "pink" as const, snrDb });
  const p: ClipPlan[] = [];
  for (let i = 1; i <= 8; i++) p.push({ id: `clean-${pad(i)}`, sampleRate: 16000, channels: 1, nUtt: [1, 2] });
  for (const snr of [20, 10, 5]) {
    for (let i = 1; i <= 6; i++) {
      p.push({ id: `snr${snr}-${pad(i)}`, sampleRate: 16000, channels: 1, nUtt: [1, 2], noise: i % 2 ? white(snr) : pink(snr) });
    }
  }
  p.push({ id: "hum-01", sampleRate: 16000, channels: 1, nUtt: [1, 2], hum: { freq: 50, shrDb: 15 } });
  p.push({ id: "hum-02", sampleRate: 16000, channels: 1, nUtt: [1, 2], hum: { freq: 60, shrDb: 10 } });
  p.push({ id: "hum-03", sampleRate: 16000, channels: 1, nUtt: [1, 2], hum: { freq: 50, shrDb: 5 }, noise: pink(20) });
  p.push({ id: "hum-04", sampleRate: 16000, channels: 1, nUtt: [1, 2], hum: { freq: 60, shrDb: 10 }, noise: white(10) });
  p.push({ id: "lang-cmn-01", sampleRate: 16000, channels: 1, nUtt: [1, 2], lang: "cmn" });
  p.push({ id: "lang-cmn-02", sampleRate: 16000, channels: 1, nUtt: [2, 2], lang: "cmn", noise: pink(10) });
  p.push({ id: "lang-de-01", sampleRate: 16000, channels: 1, nUtt: [1, 2], lang: "de", noise: white(20) });
  p.push({ id: "lang-fr-01", sampleRate: 16000, channels: 1, nUtt: [1, 2], lang: "fr-fr" });
  p.push({ id: "lang-es-01", sampleRate: 16000, channels: 1, nUtt: [1, 2], lang: "es", noise: pink(5) });
  p.push({ id: "lang-it-01", sampleRate: 16000, channels: 1, nUtt: [1, 2], lang: "it" });
  // 8 kHz (telephony) clips: half the bytes per second, and exercise the resampling path
  const narrow: Partial<ClipPlan>[] = [
    {},
    {},
    { noise: pink(10) },
    { noise: white(20) },
    { hum: { freq: 60, shrDb: 15 } },
    { noise: white(5) },
    { noise: pink(20) },
    { lang: "cmn" },
  ];
  narrow.forEach((x, i) => p.push({ id: `sr8k-${pad(i + 1)}`, sampleRate: 8000, channels: 1, nUtt: [1, 3], ...x }));
  p.push({ id: "sr44k-01", sampleRate: 44100, channels: 1, nUtt: [1, 1], leadS: 0.4, tailS: 0.5 });
  p.push({ id: "stereo-01", sampleRate: 16000, channels: 2, nUtt: [1, 2], noise: white(20) });
  p.push({ id: "stereo-02", sampleRate: 44100, channels: 2, nUtt: [1, 1], leadS: 0.3, tailS: 0.3, texts: ["Coffee or tea?"] });
  p.push({ id: "nospeech-01", sampleRate: 16000, channels: 1, nUtt: [0, 0], emptyDurationS: 3, noise: white(0), noiseFloorDbfs: -45 });
  p.push({ id: "nospeech-02", sampleRate: 16000, channels: 1, nUtt: [0, 0], emptyDurationS: 3, noise: pink(0), hum: { freq: 50, shrDb: 0 }, noiseFloorDbfs: -38 });
  p.push({ id: "longgap-01", sampleRate: 16000, channels: 1, nUtt: [1, 1], leadS: 3, tailS: 2.5, extraTags: ["long-silence"] });
  return p;
}

let enCursor = 0;
const otherCursor: Record<string, number> = {};

function pickUtterances(rng: Rng, c: ClipPlan): Utterance[] {
  const n = rng.int(c.nUtt[0], c.nUtt[1]);
  const out: Utterance[] = [];
  for (let i = 0; i < n; i++) {
    let text: string;
    let voice: string;
    if (c.texts) {
      text = c.texts[i];
      voice = rng.pick(EN_VOICES) + rng.pick(VARIANTS);
    } else if (c.lang) {
      const list = OTHER[c.lang];
      const k = otherCursor[c.lang] ?? 0;
      otherCursor[c.lang] = k + 1;
      text = list[k % list.length];
      voice = c.lang + rng.pick(VARIANTS);
    } else {
      text = EN[enCursor++ % EN.length];
      voice = rng.pick(EN_VOICES) + rng.pick(VARIANTS);
    }
    out.push({
      text,
      voice: { voice, speed: rng.int(130, 210), pitch: rng.int(25, 75) },
      gain: Math.round(rng.range(0.45, 1.0) * 100) / 100,
    });
  }
  return out;
}

interface Label {
  file: string;
  sampleRate: number;
  channels: number;
  durationS: number;
  speech: [number, number][];
  tags: string[];
  utterances: Placed[];
}

function main(): void {
  fs.mkdirSync(OUT, { recursive: true });
  for (const f of fs.readdirSync(OUT)) if (/\.(wav|json)$/.test(f)) fs.rmSync(path.join(OUT, f));

  const labels: Label[] = [];
  let bytes = 0;
  for (const c of plan()) {
    const rng = makeRng(seedFor(SEED, c.id));
    const utterances = pickUtterances(rng, c);
    const opts: MixOptions = {
      sampleRate: c.sampleRate,
      utterances,
      leadS: c.leadS ?? round3(rng.range(0.2, 0.8)),
      gapsS: utterances.slice(1).map(() => round3(rng.range(0.3, 3.0))),
      tailS: c.tailS ?? round3(rng.range(0.2, 0.8)),
      emptyDurationS: c.emptyDurationS,
      noise: c.noise,
      hum: c.hum,
      noiseFloorDbfs: c.noiseFloorDbfs,
      channels: c.channels,
      rng,
    };
    const { audio, placed, intervals } = mix(opts);
    const wav = encodeWav(audio, c.sampleRate);
    const file = `${c.id}.wav`;
    fs.writeFileSync(path.join(OUT, file), wav);
    bytes += wav.length;

    const tags: string[] = [];
    if (!c.noise && !c.hum) tags.push("clean");
    if (c.noise && utterances.length) tags.push(`snr${c.noise.snrDb}`);
    if (c.noise) tags.push(c.noise.kind);
    if (c.hum) tags.push("hum", `hum${c.hum.freq}`);
    if (!utterances.length) tags.push("no-speech");
    tags.push(c.lang ? (c.lang === "cmn" ? "zh" : c.lang.slice(0, 2)) : utterances.length ? "en" : "none");
    if (c.sampleRate !== 16000) tags.push(`sr${c.sampleRate}`);
    if (c.channels === 2) tags.push("stereo");
    tags.push(...(c.extraTags ?? []));

    labels.push({
      file,
      sampleRate: c.sampleRate,
      channels: c.channels,
      durationS: round3(audio[0].length / c.sampleRate),
      speech: intervals.map(([a, b]) => [round3(a / c.sampleRate), round3(b / c.sampleRate)]),
      tags,
      utterances: placed,
    });
  }
  fs.writeFileSync(path.join(OUT, "labels.json"), JSON.stringify(labels, null, 2) + "\n");
  const total = labels.reduce((s, l) => s + l.durationS, 0);
  const speech = labels.reduce((s, l) => s + l.speech.reduce((a, [x, y]) => a + y - x, 0), 0);
  console.log(
    `VAD set: ${labels.length} clips, ${total.toFixed(1)} s audio (${speech.toFixed(1)} s speech), ` +
      `${(bytes / 1024).toFixed(0)} KiB -> ${path.relative(ROOT, OUT)}`,
  );
}

main();
