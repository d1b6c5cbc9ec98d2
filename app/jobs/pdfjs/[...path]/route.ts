import fs from "node:fs/promises";
import path from "node:path";

/**
 * GET /jobs/pdfjs/<dir>/<file> – pdf.js's worker and the data it fetches (standard fonts, CMaps), served from the
 * installed pdfjs-dist so they always match the library the job page bundles: the browser renders a PDF job's page
 * thumbnails itself. Public (it is the library, not user data); only these folders, only plain file names.
 */
const ROOT = path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", "pdfjs-dist");
const ALLOWED: Record<string, RegExp> = {
  build: /^pdf\.worker\.min\.mjs$/,
  standard_fonts: /^[\w.-]+\.(pfb|ttf)$/,
  cmaps: /^[\w.-]+\.bcmap$/,
};
const TYPES: Record<string, string> = { mjs: "text/javascript; charset=utf-8", pfb: "application/octet-stream", ttf: "font/ttf", bcmap: "application/octet-stream" };

export async function GET(_req: Request, { params }: { params: Promise<{ path: string[] }> }) {
  const parts = (await params).path;
  if (parts.length !== 2 || !ALLOWED[parts[0]]?.test(parts[1])) return new Response("Not found", { status: 404 });
  try {
    const bytes = await fs.readFile(path.join(ROOT, parts[0], parts[1]));
    const ext = parts[1].slice(parts[1].lastIndexOf(".") + 1);
    return new Response(new Uint8Array(bytes), { headers: { "content-type": TYPES[ext] ?? "application/octet-stream", "cache-control": "public, max-age=86400" } });
  } catch {
    return new Response("Not found", { status: 404 });
  }
}
