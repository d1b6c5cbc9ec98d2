/**
 * Small synthetic text-classification datasets for the training tests: each label has its own topic words, mixed
 * with words every label shares, so a classifier must learn which words matter. Seeded (mulberry32): the same
 * arguments give the same bytes.
 */

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const TOPICS: Record<string, string[]> = {
  sports: ["match", "goal", "team", "coach", "league", "score", "player", "season", "stadium", "referee", "striker", "tournament"],
  cooking: ["recipe", "oven", "garlic", "flour", "simmer", "butter", "kitchen", "pasta", "sauce", "bake", "onion", "spoon"],
  finance: ["bank", "loan", "interest", "stock", "market", "budget", "invest", "credit", "dividend", "savings", "mortgage", "bond"],
};
const SHARED = ["the", "a", "today", "really", "new", "about", "with", "we", "they", "good", "this", "week", "and", "some"];

/** `{text, label}` rows, labels interleaved. */
export function syntheticRows(rowsPerLabel: number, seed = 7, labels: readonly string[] = Object.keys(TOPICS)): { text: string; label: string }[] {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const rows: { text: string; label: string }[] = [];
  for (let i = 0; i < rowsPerLabel; i++) {
    for (const label of labels) {
      const words = [...Array.from({ length: 3 + Math.floor(rnd() * 3) }, () => pick(TOPICS[label])), ...Array.from({ length: 3 + Math.floor(rnd() * 4) }, () => pick(SHARED))];
      for (let j = words.length - 1; j > 0; j--) {
        const k = Math.floor(rnd() * (j + 1));
        [words[j], words[k]] = [words[k], words[j]];
      }
      rows.push({ text: words.join(" "), label });
    }
  }
  return rows;
}

/** The rows as CSV with a text,label header (texts quoted: they may hold commas one day). */
export function syntheticCsv(rowsPerLabel: number, seed = 7, labels?: readonly string[]): Buffer {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return Buffer.from(["text,label", ...syntheticRows(rowsPerLabel, seed, labels).map((r) => `${q(r.text)},${r.label}`)].join("\n") + "\n");
}

/** A multipart training-run form: the dataset as the file part `dataset`, the options as text parts. */
export function trainingForm(dataset: Buffer, filename: string, fields: Record<string, string>): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  fd.set("dataset", new Blob([new Uint8Array(dataset)]), filename);
  return fd;
}
