/**
 * Copy-paste requests for `POST /api/v1/classify` (a JSON body), built from exactly what was sent — shared by the
 * playground's Classify tab and the model cards of text models, so both show the same call.
 */
import type { SnippetLang } from "./snippets";

export interface ClassifyBody {
  model: string;
  input: string | string[];
  top_k?: number;
  /** `auto` only: the selection constraints, named as the API names them. */
  objective?: string;
  max_latency_ms?: number;
}

export interface ClassifySnippetRequest {
  baseUrl: string;
  body: ClassifyBody;
  keyPlaceholder?: string;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A JSON value written as a Python literal (the body holds strings, numbers and lists only, but be exact anyway). */
function py(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (Array.isArray(v)) return `[${v.map(py).join(", ")}]`;
  if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(", ")}}`;
  return JSON.stringify(v);
}

/** `curl` sends the body inline, `curlRaw` from a file `request.json` holding it, JS and Python as JSON. */
export function classifySnippet(lang: SnippetLang, r: ClassifySnippetRequest): string {
  const url = `${r.baseUrl.replace(/\/$/, "")}/api/v1/classify`;
  const key = r.keyPlaceholder ?? "$PARETO_API_KEY";
  const json = JSON.stringify(r.body);
  if (lang === "curl" || lang === "curlRaw") {
    const lines = [`curl ${shellQuote(url)} \\`, `  -H "Authorization: Bearer ${key}" \\`, `  -H 'Content-Type: application/json' \\`];
    if (lang === "curl") return [...lines, `  -d ${shellQuote(json)}`].join("\n");
    // The file's contents first, so the one command is complete.
    return [`cat > request.json <<'EOF'`, JSON.stringify(r.body, null, 2), `EOF`, ...lines, `  --data-binary @request.json`].join("\n");
  }
  if (lang === "js") {
    return [
      `const res = await fetch(${JSON.stringify(url)}, {`,
      `  method: "POST",`,
      `  headers: { Authorization: \`Bearer \${process.env.PARETO_API_KEY}\`, "Content-Type": "application/json" },`,
      `  body: JSON.stringify(${JSON.stringify(r.body, null, 2).replace(/\n/g, "\n  ")}),`,
      `});`,
      `if (!res.ok) throw new Error((await res.json()).error.message);`,
      `for (const d of (await res.json()).data) console.log(d.index, d.label, d.score);`,
    ].join("\n");
  }
  return [
    `import os`,
    `import requests`,
    ``,
    `res = requests.post(`,
    `    ${JSON.stringify(url)},`,
    `    headers={"Authorization": f"Bearer {os.environ['PARETO_API_KEY']}"},`,
    `    json=${py(r.body)},`,
    `)`,
    `res.raise_for_status()`,
    `for d in res.json()["data"]:`,
    `    print(d["index"], d["label"], d["score"])`,
  ].join("\n");
}
