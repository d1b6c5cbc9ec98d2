/**
 * Training datasets: CSV with a `text,label` header (either order, extra columns ignored) or JSONL with one
 * `{"text", "label"}` object a line. Rows that cannot be used are reported with their 1-based line number in the
 * file and why, and left out — never dropped silently: the run keeps the report, the API returns it, the CLI prints
 * it. A dataset no classifier can be trained on (one label, too few rows of a label, nothing usable) is refused by
 * assertTrainable. Pure (no server-only): parsed inside the training worker, off the server's main thread.
 */
import { isUtf8 } from "node:buffer";
import { parse as parseCsv } from "csv-parse/sync";
import { env } from "@/lib/config/env";
import { ServiceError } from "@/lib/models/errors";
import type { Message } from "@/lib/i18n/message";
import { joined, say, type Said } from "./messages";

export type BadRowReason = "missing_field" | "empty_text" | "empty_label" | "not_utf8" | "bad_json" | "bad_csv" | "too_long";

export interface BadRow {
  /** 1-based, as in the file (a multi-line CSV record: the line it starts on). */
  line: number;
  reason: BadRowReason;
  message: string;
  i18n: Message;
}

export interface DatasetReport {
  format: "csv" | "jsonl";
  /** Rows kept for training. */
  rows: number;
  /** Kept rows per label, most frequent first. */
  labels: { label: string; count: number }[];
  /** The first MAX_REPORTED_BAD_ROWS bad rows, in file order. */
  badRows: BadRow[];
  badRowCount: number;
  bytes: number;
}

export interface ParsedDataset {
  texts: string[];
  labels: string[];
  report: DatasetReport;
}

/** The classify API takes texts of at most this many characters; longer training rows would teach what it never sees. */
export const MAX_TEXT_CHARS = 10_000;
export const MAX_LABEL_CHARS = 100;
export const MAX_LABELS = 1_000;
/** Fewer rows than this for a label cannot be split into training and hold-out rows and still say anything. */
export const MIN_ROWS_PER_LABEL = 5;
/** Bad rows kept in a report (all are counted). */
export const MAX_REPORTED_BAD_ROWS = 100;

const MB = 1024 * 1024;

/** A dataset refused as a whole: `dataset_invalid` (422) or `dataset_too_large` (413), with its catalog message. */
export class DatasetError extends ServiceError {
  /** Absent when the refusal came from elsewhere (the trainer) with English only. */
  readonly i18n?: Message;
  constructor(code: "dataset_invalid" | "dataset_too_large", said: Said | { message: string; i18n?: Message }) {
    super(code, said.message, { param: "dataset" });
    this.name = "DatasetError";
    this.i18n = said.i18n;
  }
}

/** PARETO_MAX_DATASET_MB in bytes. */
export function maxDatasetBytes(): number {
  return Math.floor(env.maxDatasetMb() * MB);
}

/** `bytes`: the whole dataset's size; null when it was refused while arriving (its size is not known). */
export function tooLargeError(bytes: number | null): DatasetError {
  const mb = (n: number) => Math.round((n / MB) * 10) / 10;
  if (bytes === null) return new DatasetError("dataset_too_large", say("dataset.overLimit", { max: env.maxDatasetMb() }));
  return new DatasetError("dataset_too_large", say("dataset.tooLarge", { mb: mb(bytes), max: env.maxDatasetMb() }));
}

/** Collects good rows and bad ones, in file order. */
class Rows {
  readonly texts: string[] = [];
  readonly labels: string[] = [];
  readonly counts = new Map<string, number>();
  readonly bad: BadRow[] = [];
  badCount = 0;

  reject(line: number, reason: BadRowReason, key: string, params: Record<string, string | number> = {}): void {
    this.badCount++;
    if (this.bad.length >= MAX_REPORTED_BAD_ROWS) return;
    const said = say(`badRow.${key}`, { line, ...params });
    this.bad.push({ line, reason, message: said.message, i18n: said.i18n });
  }

  /** Checks a row's values; keeps it or reports it. */
  add(line: number, text: string, rawLabel: string): void {
    const label = rawLabel.trim();
    if (text.trim() === "") return this.reject(line, "empty_text", "emptyText");
    if (label === "") return this.reject(line, "empty_label", "emptyLabel");
    if (text.length > MAX_TEXT_CHARS) return this.reject(line, "too_long", "textTooLong", { chars: text.length, max: MAX_TEXT_CHARS });
    if (label.length > MAX_LABEL_CHARS) return this.reject(line, "too_long", "labelTooLong", { chars: label.length, max: MAX_LABEL_CHARS });
    this.texts.push(text);
    this.labels.push(label);
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }
}

/** 1-based numbers of the lines (split at LF) that are not valid UTF-8. */
function invalidUtf8Lines(body: Buffer): Set<number> {
  const out = new Set<number>();
  if (isUtf8(body)) return out;
  let line = 1;
  let from = 0;
  while (from <= body.length) {
    let to = body.indexOf(0x0a, from);
    if (to === -1) to = body.length;
    if (!isUtf8(body.subarray(from, to))) out.add(line);
    line++;
    from = to + 1;
  }
  return out;
}

function firstInvalid(bad: Set<number>, from: number, to: number): number | null {
  if (!bad.size) return null;
  for (let l = from; l <= to; l++) if (bad.has(l)) return l;
  return null;
}

const newlines = (s: string) => {
  let n = 0;
  for (let i = s.indexOf("\n"); i !== -1; i = s.indexOf("\n", i + 1)) n++;
  return n;
};

/** The line a CSV record starts on, from the line it ends on and its raw text (which may begin with skipped blank lines). */
function startLine(endLine: number, raw: string): number {
  return endLine - newlines(raw.replace(/^\n+/, "").replace(/\n$/, ""));
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

function readCsv(text: string, badUtf8: Set<number>, rows: Rows): void {
  const skipped: { line: number; end: number; code: string }[] = [];
  const records = parseCsv(text, {
    info: true,
    raw: true,
    delimiter: ",",
    record_delimiter: "\n",
    relax_column_count: true,
    // A quote inside an unquoted field (`He said "hi"`) is text, as people write it.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: { code?: string; lines?: number } | undefined, raw?: string) => {
      const end = err?.lines ?? 0;
      skipped.push({ line: startLine(end, raw ?? ""), end, code: err?.code ?? "" });
    },
  }) as unknown as CsvRecord[];

  const header = records.shift();
  const names = header?.record.map((h) => h.trim().toLowerCase()) ?? [];
  const textAt = names.indexOf("text");
  const labelAt = names.indexOf("label");
  if (!header || textAt === -1 || labelAt === -1 || (skipped.length && skipped[0].line < startLine(header.info.lines, header.raw))) {
    const first = text.slice(0, text.indexOf("\n") === -1 ? undefined : text.indexOf("\n")).trim();
    throw new DatasetError("dataset_invalid", say("dataset.noHeader", { header: first.length > 80 ? `${first.slice(0, 80)}…` : first }));
  }
  const needed = Math.max(textAt, labelAt) + 1;

  // Records and skipped stretches, merged back into file order.
  const events: ({ kind: "row"; line: number; rec: CsvRecord } | { kind: "skip"; line: number; end: number; code: string })[] = [
    ...records.map((rec) => ({ kind: "row" as const, line: startLine(rec.info.lines, rec.raw), rec })),
    ...skipped.map((s) => ({ kind: "skip" as const, ...s })),
  ].sort((a, b) => a.line - b.line);

  for (const ev of events) {
    if (ev.kind === "skip") {
      const utf = firstInvalid(badUtf8, ev.line, ev.end);
      if (utf !== null) rows.reject(utf, "not_utf8", "notUtf8");
      else if (ev.code === "CSV_QUOTE_NOT_CLOSED") rows.reject(ev.line, "bad_csv", "unclosedQuote", { end: ev.end });
      else rows.reject(ev.line, "bad_csv", "csvError");
      continue;
    }
    const { record } = ev.rec;
    if (record.every((f) => f.trim() === "")) continue; // a line of spaces is no row
    const utf = firstInvalid(badUtf8, ev.line, ev.rec.info.lines);
    if (utf !== null) rows.reject(utf, "not_utf8", "notUtf8");
    else if (record.length > names.length) rows.reject(ev.line, "bad_csv", "extraFields", { fields: record.length, columns: names.length });
    else if (record.length < needed) rows.reject(ev.line, "missing_field", "missingField", { field: record.length <= textAt ? "text" : "label" });
    else rows.add(ev.line, record[textAt], record[labelAt]);
  }
}

function readJsonl(text: string, badUtf8: Set<number>, rows: Rows): void {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const src = lines[i].trim();
    if (src === "") continue;
    if (badUtf8.has(line)) {
      rows.reject(line, "not_utf8", "notUtf8");
      continue;
    }
    let row: unknown;
    try {
      row = JSON.parse(src);
    } catch {
      rows.reject(line, "bad_json", "badJson");
      continue;
    }
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      rows.reject(line, "bad_json", "badJson");
      continue;
    }
    const r = row as Record<string, unknown>;
    if (!Object.hasOwn(r, "text") || r.text === null) rows.reject(line, "missing_field", "missingField", { field: "text" });
    else if (!Object.hasOwn(r, "label") || r.label === null) rows.reject(line, "missing_field", "missingField", { field: "label" });
    else if (typeof r.text !== "string") rows.reject(line, "bad_json", "notString", { field: "text" });
    else {
      // Labels are names; numeric and boolean labels (0/1, true/false) are common in JSONL and named by their text.
      const label = typeof r.label === "string" ? r.label : (typeof r.label === "number" && Number.isFinite(r.label)) || typeof r.label === "boolean" ? String(r.label) : null;
      if (label === null) rows.reject(line, "bad_json", "notString", { field: "label" });
      else rows.add(line, r.text, label);
    }
  }
}

function formatOf(text: string, filename: string | undefined): "csv" | "jsonl" {
  const ext = filename?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (ext === "csv") return "csv";
  if (ext === "jsonl" || ext === "ndjson") return "jsonl";
  // Anything else by its first character: a CSV dataset starts with its header, never with "{".
  return text.trimStart().startsWith("{") ? "jsonl" : "csv";
}

/**
 * Reads a dataset. Refuses (DatasetError) what cannot be read at all: over PARETO_MAX_DATASET_MB, empty, UTF-16,
 * a CSV without its header. Everything else is rows kept or rows reported; call assertTrainable on the report.
 */
export function parseDataset(bytes: Buffer, filename?: string): ParsedDataset {
  if (bytes.length > maxDatasetBytes()) throw tooLargeError(bytes.length);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) throw new DatasetError("dataset_invalid", say("dataset.utf16"));
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const badUtf8 = invalidUtf8Lines(body);
  // CRLF → LF keeps every line's number (a CRLF inside a quoted field becomes a plain newline in the text).
  const text = body.toString("utf8").replace(/\r\n/g, "\n");
  if (text.trim() === "") throw new DatasetError("dataset_invalid", say("dataset.empty"));
  const format = formatOf(text, filename);
  const rows = new Rows();
  if (format === "csv") readCsv(text, badUtf8, rows);
  else readJsonl(text, badUtf8, rows);
  const labels = [...rows.counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return {
    texts: rows.texts,
    labels: rows.labels,
    report: { format, rows: rows.texts.length, labels, badRows: rows.bad, badRowCount: rows.badCount, bytes: bytes.length },
  };
}

/** Refuses a dataset no classifier can be trained on, naming what is missing. */
export function assertTrainable(report: DatasetReport): void {
  if (report.rows === 0) throw new DatasetError("dataset_invalid", say("dataset.noRows", { bad: report.badRowCount }));
  if (report.labels.length === 1) throw new DatasetError("dataset_invalid", say("dataset.oneLabel", { label: report.labels[0].label }));
  if (report.labels.length > MAX_LABELS) throw new DatasetError("dataset_invalid", say("dataset.tooManyLabels", { count: report.labels.length, max: MAX_LABELS }));
  const few = report.labels.filter((l) => l.count < MIN_ROWS_PER_LABEL);
  if (few.length) {
    const items = few.slice(0, 10).map((l) => ({ key: "trainingRuns.reason.dataset.fewRowsLabel", params: { label: l.label, count: l.count } }));
    throw new DatasetError("dataset_invalid", say("dataset.fewRows", { labels: joined(items, "dataset.sep"), min: MIN_ROWS_PER_LABEL }));
  }
}
