/**
 * PDF pages, one at a time, rendered with pdf.js (legacy build, the one for Node) onto @napi-rs/canvas with a white
 * background and encoded to PNG. pdf.js reads the standard 14 fonts, CMaps and its image decoders (wasm) from the
 * package's own folders under the install root: nothing is fetched, and PDFs that name Helvetica without embedding
 * it (pdf-lib's StandardFonts) still render their text.
 *
 * The document is loaded whole: pdf.js needs random access to the xref and objects, and PDFs are bounded by the
 * job upload limit (PARETO_MAX_JOB_MB). Pages are the unbounded part, and only one is in memory at a time.
 */
import path from "node:path";
import { createCanvas } from "@napi-rs/canvas";
import { getDocument, type PDFDocumentProxy } from "pdfjs-dist/legacy/build/pdf.mjs";
import { inputError } from "./errors";
import type { FileSlices } from "./file-slices";
import { pageScale } from "./page-size";
import type { UnitSource } from "./source";
import type { InputInfo, InputUnit } from "./types";

/** Larger embedded images are left out of the page (pdf.js skips them) rather than decoded: 40 Mpx is 160 MB RGBA. */
const MAX_IMAGE_PIXELS = 40_000_000;

/** pdf.js wants folder URLs that end in a separator. */
function dir(root: string, ...parts: string[]): string {
  return path.join(root, "node_modules", "pdfjs-dist", ...parts) + path.sep;
}

function errorName(e: unknown): string {
  return typeof e === "object" && e !== null && typeof (e as { name?: unknown }).name === "string" ? (e as { name: string }).name : "";
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class PdfPages implements UnitSource {
  private page: number;

  private constructor(
    readonly info: InputInfo,
    private readonly doc: PDFDocumentProxy,
    from: number,
    private readonly dpi: number,
  ) {
    this.page = from;
  }

  static async open(file: FileSlices, opts: { root: string; from: number; dpi: number; maxPages: number }): Promise<PdfPages> {
    const data = await file.read(0, file.size);
    await file.close();
    const task = getDocument({
      data,
      standardFontDataUrl: dir(opts.root, "standard_fonts"),
      cMapUrl: dir(opts.root, "cmaps"),
      cMapPacked: true,
      wasmUrl: dir(opts.root, "wasm"),
      iccUrl: dir(opts.root, "iccs"),
      useSystemFonts: false,
      disableFontFace: true,
      isEvalSupported: false,
      // An embedded image is decoded whole before it is scaled onto the page: refuse decompression bombs.
      maxImageSize: MAX_IMAGE_PIXELS,
      stopAtErrors: false,
      verbosity: 0,
    });
    let doc: PDFDocumentProxy;
    try {
      doc = await task.promise;
    } catch (e) {
      await task.destroy().catch(() => undefined);
      if (errorName(e) === "PasswordException") throw inputError("pdf_encrypted", "the PDF is password-protected; upload it without a password");
      throw inputError("pdf_invalid", `the PDF cannot be read: ${messageOf(e)}`);
    }
    const pages = doc.numPages;
    if (pages === 0) {
      await doc.destroy();
      throw inputError("empty_input", "the PDF has no pages");
    }
    if (pages > opts.maxPages) {
      await doc.destroy();
      throw inputError("too_many_pages", `the PDF has ${pages} pages; the limit is ${opts.maxPages}`);
    }
    return new PdfPages({ format: "pdf", unit: "page", total: pages, units: pages }, doc, opts.from, opts.dpi);
  }

  async next(): Promise<InputUnit | null> {
    if (this.page >= this.info.total) return null;
    const index = this.page++;
    try {
      const page = await this.doc.getPage(index + 1);
      const base = page.getViewport({ scale: 1 });
      if (!(base.width > 0 && base.height > 0)) throw new Error(`page ${index + 1} has an empty MediaBox`);
      const viewport = page.getViewport({ scale: pageScale(base.width, base.height, this.dpi) });
      const width = Math.max(1, Math.round(viewport.width));
      const height = Math.max(1, Math.round(viewport.height));
      const canvas = createCanvas(width, height);
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, width, height);
      // pdf.js's canvas types are the DOM's; @napi-rs/canvas implements the subset it uses.
      await page.render({ canvas: canvas as unknown as HTMLCanvasElement, canvasContext: ctx as unknown as CanvasRenderingContext2D, viewport, background: "#ffffff" }).promise;
      const png = await canvas.encode("png");
      page.cleanup();
      return { kind: "page", index, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength), width, height };
    } catch (e) {
      throw inputError("pdf_invalid", `page ${index + 1} of the PDF cannot be rendered: ${messageOf(e)}`);
    }
  }

  async close(): Promise<void> {
    await this.doc.destroy().catch(() => undefined);
  }
}
