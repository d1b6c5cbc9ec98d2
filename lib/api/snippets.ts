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

/** `curl` sends the body inline, `curlRaw` from a file `request.json` holding it (large tensors), JS and Python as JSON. */
export function tensorSnippet(lang: SnippetLang, r: TensorSnippetRequest): string {
  const url = `${r.baseUrl.replace(/\/$/, "")}${tensorInferPath(r.model, r.version)}`;
  const key = r.keyPlaceholder ?? "$PARETO_API_KEY";
  const json = JSON.stringify(r.body);
  if (lang === "curl" || lang === "curlRaw") {
    return [
      `curl ${shellQuote(url)} \\`,
      `  -H "Authorization: Bearer ${key}" \\`,
      `  -H 'Content-Type: application/json' \\`,
      lang === "curl" ? `  -d ${shellQuote(json)}` : `  --data-binary @request.json`,
    ].join("\n");
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

export interface ClassifySnippetRequest {
  baseUrl: string;
  model: string;
  input: string[];
  topK?: number;
  keyPlaceholder?: string;
}

/** POST /api/v1/classify as JSON: `curl` inline, `curlRaw` from a file `request.json` (many texts), JS and Python. */
export function classifySnippet(lang: SnippetLang, r: ClassifySnippetRequest): string {
  const url = `${r.baseUrl.replace(/\/$/, "")}/api/v1/classify`;
  const key = r.keyPlaceholder ?? "$PARETO_API_KEY";
  const body = { model: r.model, input: r.input.length === 1 ? r.input[0] : r.input, ...(r.topK && r.topK > 1 ? { top_k: r.topK } : {}) };
  const json = JSON.stringify(body);
  if (lang === "curl" || lang === "curlRaw") {
    return [
      `curl ${shellQuote(url)} \\`,
      `  -H "Authorization: Bearer ${key}" \\`,
      `  -H 'Content-Type: application/json' \\`,
      lang === "curl" ? `  -d ${shellQuote(json)}` : `  --data-binary @request.json`,
    ].join("\n");
  }
  if (lang === "js") {
    return [
      `const res = await fetch(${JSON.stringify(url)}, {`,
      `  method: "POST",`,
      `  headers: { Authorization: \`Bearer \${process.env.PARETO_API_KEY}\`, "Content-Type": "application/json" },`,
      `  body: JSON.stringify(${json}),`,
      `});`,
      `if (!res.ok) throw new Error((await res.json()).error.message);`,
      `console.log((await res.json()).data);`,
    ].join("\n");
  }
  return [
    `import os`,
    `import requests`,
    ``,
    `res = requests.post(`,
    `    ${JSON.stringify(url)},`,
    `    headers={"Authorization": f"Bearer {os.environ['PARETO_API_KEY']}"},`,
    // Strings, numbers and lists: the JSON literal is valid Python.
    `    json=${json},`,
    `)`,
    `res.raise_for_status()`,
    `print(res.json()["data"])`,
  ].join("\n");
}
