/**
 * Issue 14 §2: datasets. CSV (header text,label in either order, quoted fields with commas and newlines, BOM, CRLF)
 * and JSONL; bad rows reported with their line number and left out, never dropped silently; datasets no classifier
 * can learn from refused with a clear reason.
 */
import { describe, expect, it } from "vitest";
import { CATALOGS } from "@/lib/i18n/config";
import { renderMessage } from "@/lib/i18n/message";
import { assertTrainable, MAX_REPORTED_BAD_ROWS, MAX_TEXT_CHARS, parseDataset, type BadRow, type BadRowReason } from "@/lib/training/dataset";

const b = (s: string) => Buffer.from(s, "utf8");
const cat = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? b(p) : p)));
/** A byte sequence that is not UTF-8 (a Latin-1 "é"). */
const LATIN1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);

const bad = (rows: BadRow[]) => rows.map((r) => [r.line, r.reason]);

describe("parseDataset: rows kept and rows reported", () => {
  type Case = [name: string, input: Buffer, filename: string | undefined, texts: string[], labels: string[], badRows: [number, BadRowReason][]];
  const CASES: Case[] = [
    ["CSV, header text,label", b("text,label\nhello there,greet\nbuy now,spam\n"), "d.csv", ["hello there", "buy now"], ["greet", "spam"], []],
    ["CSV, header label,text", b("label,text\ngreet,hello there\nspam,buy now\n"), "d.csv", ["hello there", "buy now"], ["greet", "spam"], []],
    ["CSV header in any case, padded, extra columns ignored", b(" Label ,id, TEXT\ngreet,1,hi\n"), "d.csv", ["hi"], ["greet"], []],
    ["quoted field with a comma", b('text,label\n"hello, world",greet\n'), "d.csv", ["hello, world"], ["greet"], []],
    ["quoted field with newlines and escaped quotes: the next row's line is right", b('text,label\n"line one\nline ""two""",a\n,b\n'), "d.csv", ['line one\nline "two"'], ["a"], [[4, "empty_text"]]],
    ["a quote inside an unquoted field is text", b('text,label\nhe said "hi" twice,a\n'), "d.csv", ['he said "hi" twice'], ["a"], []],
    ["UTF-8 BOM", cat(Buffer.from([0xef, 0xbb, 0xbf]), "text,label\nhi,a\n"), "d.csv", ["hi"], ["a"], []],
    ["CRLF line ends, CRLF inside a quoted field", b('text,label\r\nhi,a\r\n"two\r\nlines",b\r\n,c\r\n'), "d.csv", ["hi", "two\nlines"], ["a", "b"], [[5, "empty_text"]]],
    ["no final newline", b("text,label\nhi,a"), "d.csv", ["hi"], ["a"], []],
    ["blank lines are not rows", b("text,label\n\nhi,a\n\n\nyo,b\n"), "d.csv", ["hi", "yo"], ["a", "b"], []],
    ["labels are trimmed, texts kept as written", b("text,label\n  hi  , a \n"), "d.csv", ["  hi  "], ["a"], []],
    ["not UTF-8: the line is named, the rest kept", cat("text,label\nok,a\n", LATIN1, ",b\nfine,c\n"), "d.csv", ["ok", "fine"], ["a", "c"], [[3, "not_utf8"]]],
    ["not UTF-8 inside a multi-line record: the bad line is named", cat('text,label\n"first\n', LATIN1, '",a\nok,b\n'), "d.csv", ["ok"], ["b"], [[3, "not_utf8"]]],
    ["missing field", b("text,label\nonly text\nok,a\n"), "d.csv", ["ok"], ["a"], [[2, "missing_field"]]],
    ["empty text, blank text, empty label", b("text,label\n,a\n   ,a\nhi,\nhi,  \nok,a\n"), "d.csv", ["ok"], ["a"], [[2, "empty_text"], [3, "empty_text"], [4, "empty_label"], [5, "empty_label"]]],
    ["more fields than the header (an unquoted comma)", b("text,label\nhello, world,a\nok,b\n"), "d.csv", ["ok"], ["b"], [[2, "bad_csv"]]],
    ["an unclosed quote swallows the rest: reported from its line", b('text,label\nok,a\n"never closed,b\nlost,c\n'), "d.csv", ["ok"], ["a"], [[3, "bad_csv"]]],
    ["text over the limit", b(`text,label\n${"x".repeat(MAX_TEXT_CHARS + 1)},a\nok,a\n`), "d.csv", ["ok"], ["a"], [[2, "too_long"]]],
    ["JSONL", b('{"text":"hi","label":"a"}\n{"label":"b","text":"yo"}\n'), "d.jsonl", ["hi", "yo"], ["a", "b"], []],
    ["JSONL with CRLF, BOM and blank lines", cat(Buffer.from([0xef, 0xbb, 0xbf]), '{"text":"hi","label":"a"}\r\n\r\n{"text":"yo","label":"b"}\r\n'), "d.jsonl", ["hi", "yo"], ["a", "b"], []],
    ["JSONL numeric and boolean labels are named by their text", b('{"text":"hi","label":1}\n{"text":"yo","label":false}\n'), "d.jsonl", ["hi", "yo"], ["1", "false"], []],
    [
      "JSONL bad rows",
      cat('{"text":"ok","label":"a"}\nnot json\n[1,2]\n{"label":"a"}\n{"text":"x"}\n{"text":5,"label":"a"}\n{"text":"x","label":{}}\n{"text":"","label":"a"}\n', LATIN1, "\n"),
      "d.jsonl",
      ["ok"],
      ["a"],
      [[2, "bad_json"], [3, "bad_json"], [4, "missing_field"], [5, "missing_field"], [6, "bad_json"], [7, "bad_json"], [8, "empty_text"], [9, "not_utf8"]],
    ],
    ["no filename: JSONL by its first character", b('{"text":"hi","label":"a"}\n'), undefined, ["hi"], ["a"], []],
    ["no filename: CSV otherwise", b("text,label\nhi,a\n"), undefined, ["hi"], ["a"], []],
  ];

  it.each(CASES)("%s", (_name, input, filename, texts, labels, badRows) => {
    const d = parseDataset(input, filename);
    expect(d.texts).toEqual(texts);
    expect(d.labels).toEqual(labels);
    expect(bad(d.report.badRows)).toEqual(badRows);
    expect(d.report.badRowCount).toBe(badRows.length);
    expect(d.report.rows).toBe(texts.length);
    expect(d.report.bytes).toBe(input.length);
  });

  it("counts labels, most frequent first", () => {
    const d = parseDataset(b("text,label\na,x\nb,y\nc,y\nd,z\ne,y\nf,x\n"), "d.csv");
    expect(d.report.labels).toEqual([
      { label: "y", count: 3 },
      { label: "x", count: 2 },
      { label: "z", count: 1 },
    ]);
    expect(d.report.format).toBe("csv");
  });

  it("reports every bad row's message in English and as a catalog message that renders in both languages", () => {
    const d = parseDataset(cat('text,label\nonly\n,a\nhi,\nx,y,z\n"open,a\n'), "d.csv");
    expect(d.report.badRows.map((r) => r.message)).toEqual(['Line 2: no “label” field.', "Line 3: the text is empty.", "Line 4: the label is empty.", "Line 5: 3 fields where the header has 2; put a text that contains commas in double quotes.", "Line 6: a quoted field is never closed, so lines 6–6 could not be read."]);
    for (const r of d.report.badRows) {
      expect(renderMessage(CATALOGS.en, r.i18n)).toBe(r.message);
      expect(renderMessage(CATALOGS.zh, r.i18n)).toMatch(/^第 \d+ 行：/);
    }
  });

  it(`keeps the first ${MAX_REPORTED_BAD_ROWS} bad rows and counts them all`, () => {
    const d = parseDataset(b(`text,label\n${",a\n".repeat(250)}ok,a\n`), "d.csv");
    expect(d.report.badRows).toHaveLength(MAX_REPORTED_BAD_ROWS);
    expect(d.report.badRowCount).toBe(250);
    expect(d.report.badRows.at(-1)!.line).toBe(MAX_REPORTED_BAD_ROWS + 1);
    expect(d.report.rows).toBe(1);
  });
});

describe("datasets refused as a whole", () => {
  const balanced = (labels: Record<string, number>) => `text,label\n${Object.entries(labels).flatMap(([l, n]) => Array.from({ length: n }, (_, i) => `text ${i} of ${l},${l}\n`)).join("")}`;
  const check = (input: Buffer, filename = "d.csv") => {
    const d = parseDataset(input, filename);
    assertTrainable(d.report);
    return d;
  };
  it.each([
    ["empty", "dataset_invalid", /empty/, () => b("")],
    ["only blank lines", "dataset_invalid", /empty/, () => b("\n\n  \n")],
    ["UTF-16", "dataset_invalid", /UTF-16/, () => Buffer.from("\ufefftext,label\n", "utf16le")],
    ["a CSV without the header", "dataset_invalid", /header text,label.*“hello,greet”/, () => b("hello,greet\nbuy,spam\n")],
    ["a CSV whose header lacks label", "dataset_invalid", /header/, () => b("text,category\nhi,a\n")],
    ["no usable rows", "dataset_invalid", /No usable rows: 2 rows/, () => b("text,label\n,a\n,b\n")],
    ["one label", "dataset_invalid", /label “spam”.*at least two labels/, () => b(balanced({ spam: 20 }))],
    ["too few rows for a label, named", "dataset_invalid", /Too few rows for “spam” \(4\), “eggs” \(2\): every label needs at least 5/, () => b(balanced({ ham: 20, spam: 4, eggs: 2 }))],
    ["too large", "dataset_too_large", /at most 64 MB/, () => Buffer.alloc(65 * 1024 * 1024, 0x61)],
  ] as [string, string, RegExp, () => Buffer][])("%s → %s", (_name, code, message, input) => {
    let err: unknown;
    try {
      check(input());
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code, param: "dataset" });
    expect((err as Error).message).toMatch(message);
    const i18n = (err as { i18n: unknown }).i18n;
    expect(renderMessage(CATALOGS.en, i18n)).toBe((err as Error).message);
    expect(renderMessage(CATALOGS.zh, i18n)).toMatch(/[\u4e00-\u9fff]/);
  });

  it("PARETO_MAX_DATASET_MB sets the limit", () => {
    process.env.PARETO_MAX_DATASET_MB = "0.001";
    try {
      expect(() => parseDataset(Buffer.alloc(2000, 0x61))).toThrow(expect.objectContaining({ code: "dataset_too_large" }));
    } finally {
      delete process.env.PARETO_MAX_DATASET_MB;
    }
  });

  it("a dataset with enough rows of every label passes", () => {
    const d = check(b(balanced({ ham: 5, spam: 5 })));
    expect(d.report.labels).toEqual([
      { label: "ham", count: 5 },
      { label: "spam", count: 5 },
    ]);
  });
});
