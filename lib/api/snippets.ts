/**
 * Copy-paste request snippets (curl with a multipart form, curl with the file as the raw body, JavaScript fetch,
 * Python requests) for an inference call, built from the exact endpoint, file field and options — shared by model
 * cards and the playground so both show the same thing.
 */
export interface SnippetRequest {
  baseUrl: string;
  task: "ocr" | "vad";
  model: string;
  fileName: string;
  /** Options exactly as the API names them (snake_case). */
  options?: Record<string, string | number | boolean>;
  keyPlaceholder?: string;
}

/** `curlRaw`: the file itself as the request body (its media type in Content-Type), the options in the query string. */
export type SnippetLang = "curl" | "curlRaw" | "js" | "python";

export const SNIPPET_LANGS: readonly SnippetLang[] = ["curl", "curlRaw", "js", "python"];

const FIELD = { ocr: "image", vad: "audio" } as const;

/** The raw body's media type, from the file name (the server identifies the format by its bytes either way). */
function mediaType(task: "ocr" | "vad", fileName: string): string {
  if (task === "vad") return "audio/wav";
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
  return ext === "jpg" || ext === "jpeg" ? "image/jpeg" : ext === "webp" ? "image/webp" : "image/png";
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function snippet(lang: SnippetLang, r: SnippetRequest): string {
  const field = FIELD[r.task];
  const url = `${r.baseUrl.replace(/\/$/, "")}/api/v1/${r.task}`;
  const key = r.keyPlaceholder ?? "$PARETO_API_KEY";
  const fields: [string, string][] = [["model", r.model], ...Object.entries(r.options ?? {}).map(([k, v]) => [k, String(v)] as [string, string])];
  if (lang === "curl") {
    return [
      `curl ${shellQuote(url)} \\`,
      `  -H "Authorization: Bearer ${key}" \\`,
      `  -F ${shellQuote(`${field}=@${r.fileName}`)}${fields.length ? " \\" : ""}`,
      ...fields.map(([k, v], i) => `  -F ${shellQuote(`${k}=${v}`)}${i < fields.length - 1 ? " \\" : ""}`),
    ].join("\n");
  }
  if (lang === "curlRaw") {
    const query = new URLSearchParams(fields).toString();
    return [
      `curl ${shellQuote(`${url}${query ? `?${query}` : ""}`)} \\`,
      `  -H "Authorization: Bearer ${key}" \\`,
      `  -H ${shellQuote(`Content-Type: ${mediaType(r.task, r.fileName)}`)} \\`,
      `  --data-binary ${shellQuote(`@${r.fileName}`)}`,
    ].join("\n");
  }
  if (lang === "js") {
    return [
      `import fs from "node:fs";`,
      ``,
      `const form = new FormData();`,
      `form.set(${JSON.stringify(field)}, new Blob([fs.readFileSync(${JSON.stringify(r.fileName)})]), ${JSON.stringify(r.fileName)});`,
      ...fields.map(([k, v]) => `form.set(${JSON.stringify(k)}, ${JSON.stringify(v)});`),
      ``,
      `const res = await fetch(${JSON.stringify(url)}, {`,
      `  method: "POST",`,
      `  headers: { Authorization: \`Bearer \${process.env.PARETO_API_KEY}\` },`,
      `  body: form,`,
      `});`,
      `if (!res.ok) throw new Error((await res.json()).error.message);`,
      `console.log(await res.json());`,
    ].join("\n");
  }
  return [
    `import os`,
    `import requests`,
    ``,
    `with open(${JSON.stringify(r.fileName)}, "rb") as f:`,
    `    res = requests.post(`,
    `        ${JSON.stringify(url)},`,
    `        headers={"Authorization": f"Bearer {os.environ['PARETO_API_KEY']}"},`,
    `        files={${JSON.stringify(field)}: f},`,
    `        data={${fields.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(", ")}},`,
    `    )`,
    `res.raise_for_status()`,
    `print(res.json())`,
  ].join("\n");
}

/** A KServe v2 call to an uploaded tensor model: the JSON body exactly as the playground sent it. */
export interface TensorSnippetRequest {
  baseUrl: string;
  model: string;
  /** Pinned version (`/versions/{v}/infer`); unset = the model's traffic split. */
  version?: string;
  body: unknown;
  keyPlaceholder?: string;
}

export function tensorInferPath(model: string, version?: string): string {
  const m = encodeURIComponent(model);
  return version ? `/v2/models/${m}/versions/${encodeURIComponent(version)}/infer` : `/v2/models/${m}/infer`;
}

/** The opening lines of a curl POST of JSON with the key: what the tensor and classify snippets share. */
function curlJson(url: string, key: string): string[] {
  return [`curl ${shellQuote(url)} \\`, `  -H "Authorization: Bearer ${key}" \\`, `  -H 'Content-Type: application/json' \\`];
}

/** `curl` sends the body inline, `curlRaw` from a file `request.json` holding it (large tensors), JS and Python as JSON. */
export function tensorSnippet(lang: SnippetLang, r: TensorSnippetRequest): string {
  const url = `${r.baseUrl.replace(/\/$/, "")}${tensorInferPath(r.model, r.version)}`;
  const key = r.keyPlaceholder ?? "$PARETO_API_KEY";
  const json = JSON.stringify(r.body);
  if (lang === "curl" || lang === "curlRaw") {
    return [...curlJson(url, key), lang === "curl" ? `  -d ${shellQuote(json)}` : `  --data-binary @request.json`].join("\n");
  }
  if (lang === "js") {
    return [
      `const res = await fetch(${JSON.stringify(url)}, {`,
      `  method: "POST",`,
      `  headers: { Authorization: \`Bearer \${process.env.PARETO_API_KEY}\`, "Content-Type": "application/json" },`,
      `  body: JSON.stringify(${json}),`,
      `});`,
      `if (!res.ok) throw new Error((await res.json()).error);`,
      `console.log((await res.json()).outputs);`,
    ].join("\n");
  }
  return [
    `import os`,
    `import requests`,
    ``,
    `res = requests.post(`,
    `    ${JSON.stringify(url)},`,
    `    headers={"Authorization": f"Bearer {os.environ['PARETO_API_KEY']}"},`,
    // JSON literals are valid Python except for true/false/null, which tensor requests do not carry.
    `    json=${json},`,
    `)`,
    `res.raise_for_status()`,
    `print(res.json()["outputs"])`,
  ].join("\n");
}

/** The JSON body of `POST /api/v1/classify`, exactly as sent (the playground) or as an example (model cards). */
export interface ClassifyBody {
  model: string;
  input: string | string[];
  top_k?: number;
  /** `auto` only: the family (or trained model) to choose among and the constraints, named as the API names them. */
  family?: string;
  objective?: string;
  max_latency_ms?: number;
}

export interface ClassifySnippetRequest {
  baseUrl: string;
  body: ClassifyBody;
  keyPlaceholder?: string;
}

/** A JSON value written as a Python literal (the body holds strings, numbers and lists only, but be exact anyway). */
function py(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (Array.isArray(v)) return `[${v.map(py).join(", ")}]`;
  if (typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${py(x)}`).join(", ")}}`;
  return JSON.stringify(v);
}

/** POST /api/v1/classify: `curl` with the body inline, `curlRaw` writing `request.json` first, JS and Python as JSON. */
export function classifySnippet(lang: SnippetLang, r: ClassifySnippetRequest): string {
  const url = `${r.baseUrl.replace(/\/$/, "")}/api/v1/classify`;
  const key = r.keyPlaceholder ?? "$PARETO_API_KEY";
  const json = JSON.stringify(r.body);
  if (lang === "curl" || lang === "curlRaw") {
    const lines = curlJson(url, key);
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
