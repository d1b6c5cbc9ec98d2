import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { classifySnippet } from "@/lib/api/snippets";
import { linear, log, niceTicks, padded } from "@/app/admin/training/_components/scales";
import { budgetSeconds, idFromFileName } from "@/app/admin/training/_components/train-rules";
import { MAX_CHARS, MAX_ITEMS, readLines } from "@/app/playground/_components/classify-input";

describe("the Classify tab reads its text box", () => {
  it.each<[string, string, ReturnType<typeof readLines>]>([
    ["one line", "hello", { ok: true, items: ["hello"], lines: [1] }],
    ["blank lines skipped, line numbers kept", "a\n\n  \nb\r\nc", { ok: true, items: ["a", "b", "c"], lines: [1, 4, 5] }],
    ["spaces inside a line kept", "  two words  ", { ok: true, items: ["  two words  "], lines: [1] }],
    ["nothing", "", { ok: false, problem: { kind: "empty" } }],
    ["only blanks", "\n \n\t", { ok: false, problem: { kind: "empty" } }],
    ["one line too many", Array.from({ length: MAX_ITEMS + 1 }, (_, i) => `t${i}`).join("\n"), { ok: false, problem: { kind: "tooMany", n: MAX_ITEMS + 1 } }],
    ["a line too long, named by its line", `ok\n\n${"x".repeat(MAX_CHARS + 1)}`, { ok: false, problem: { kind: "tooLong", line: 3, n: MAX_CHARS + 1 } }],
  ])("%s", (_, text, want) => {
    expect(readLines(text)).toEqual(want);
  });

  it("accepts exactly the limits", () => {
    const r = readLines(Array.from({ length: MAX_ITEMS }, () => "y".repeat(MAX_CHARS)).join("\n"));
    expect(r.ok && r.items.length).toBe(MAX_ITEMS);
  });
});

describe("classify request snippets", () => {
  const body = { model: "langid-default", input: ["It's a test", "第二行 \"quoted\""], top_k: 3 };
  const base = { baseUrl: "http://localhost:3000/", body };

  it("curl sends the exact JSON body, shell-quoted", () => {
    const s = classifySnippet("curl", base);
    expect(s).toContain("curl 'http://localhost:3000/api/v1/classify'");
    expect(s).toContain('-H "Authorization: Bearer $PARETO_API_KEY"');
    // Run through a real shell: the quoted argument is the body, byte for byte.
    const arg = /-d ('(?:[^']|'\\'')*')$/m.exec(s)?.[1];
    expect(arg).toBeDefined();
    expect(JSON.parse(execFileSync("sh", ["-c", `printf %s ${arg}`], { encoding: "utf8" }))).toEqual(body);
  });

  it("curl from a file writes the file first, then posts it", () => {
    const s = classifySnippet("curlRaw", base);
    const json = /<<'EOF'\n([\s\S]*?)\nEOF/.exec(s)?.[1];
    expect(JSON.parse(json ?? "")).toEqual(body);
    expect(s).toContain("--data-binary @request.json");
    expect(s.trim().endsWith("\\")).toBe(false);
  });

  it("JavaScript embeds the body as a literal", () => {
    const s = classifySnippet("js", base);
    const literal = /JSON\.stringify\(([\s\S]*?)\),\n\}\);/.exec(s)?.[1];
    expect(JSON.parse(literal ?? "")).toEqual(body);
  });

  it("Python passes the body as json= with Python literals", () => {
    const s = classifySnippet("python", { ...base, body: { model: "auto", input: "hi", top_k: 1, objective: "fastest", max_latency_ms: 50 } });
    expect(s).toContain('json={"model": "auto", "input": "hi", "top_k": 1, "objective": "fastest", "max_latency_ms": 50}');
    expect(s).toContain('"http://localhost:3000/api/v1/classify"');
  });
});

describe("training form rules", () => {
  it.each([
    ["Spam Messages (v2).csv", "spam-messages-v2"],
    ["sms.jsonl", "sms"],
    ["a.csv", ""], // too short for a model id
    ["___.csv", ""],
    ["Ünïcode names.csv", "n-code-names"],
    [`${"long-".repeat(20)}.csv`, "long-".repeat(13).slice(0, 64).replace(/-+$/, "")],
  ])("%s → %s", (name, id) => {
    expect(idFromFileName(name)).toBe(id);
  });

  it.each([
    ["120", 120],
    ["5", 5],
    ["3600", 3600],
    ["4", null],
    ["3601", null],
    ["12.5", null],
    ["", null],
    ["1e3", null],
  ])("budget %s → %s", (raw, want) => {
    expect(budgetSeconds(raw)).toBe(want);
  });
});

describe("chart scales", () => {
  it.each<[number, number, number[]]>([
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [0, 2.3, [0, 0.5, 1, 1.5, 2]],
    [0.91, 0.97, [0.92, 0.94, 0.96]],
    [1, 40, [10, 20, 30, 40]],
  ])("ticks of [%s, %s]", (lo, hi, want) => {
    expect(niceTicks(lo, hi, 5)).toEqual(want);
  });

  it("maps the domain's ends onto the range's", () => {
    const s = linear([0, 10], [50, 250]);
    expect([s(0), s(5), s(10)]).toEqual([50, 150, 250]);
    const l = log([1024, 1024 ** 2], [0, 100], 4);
    expect(l(1024)).toBeCloseTo(0);
    expect(l(1024 ** 2)).toBeCloseTo(100);
    expect(l(32 * 1024)).toBeCloseTo(50);
    expect(l.ticks).toEqual([1024, 4096, 16384, 65536, 262144, 1048576]);
  });

  it("pads a domain, and gives a single value a span", () => {
    expect(padded([0.9, 1], 0.1, [0, 1])).toEqual([0.89, 1]);
    const [lo, hi] = padded([5]);
    expect(lo).toBeLessThan(5);
    expect(hi).toBeGreaterThan(5);
  });
});
