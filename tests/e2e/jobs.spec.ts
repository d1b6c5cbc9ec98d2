import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { signUp } from "./pages";

const email = () => `jobs-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}@example.com`;

/** One big Helvetica word per line, two lines a page: what the OCR models read without doubt. */
const WORDS = [
  ["ALPHA", "HARBOR"],
  ["BRAVO", "GARDEN"],
  ["CHARLIE", "MARKET"],
];

async function makePdf(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const words of pages) {
    const page = doc.addPage([612, 792]);
    words.forEach((w, i) => page.drawText(w, { x: 72, y: 620 - i * 200, size: 72, font }));
  }
  return Buffer.from(await doc.save());
}

/** CSP violations (the DOM event and the console's report) and page errors: pdf.js runs a worker under the page's policy. */
async function watchCsp(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));
  });
  page.on("console", (m) => {
    if (/Content Security Policy|CSP violation|Refused to (execute|load|apply|create)/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

async function signUpFresh(page: Page) {
  await signUp(page, email(), "jobs-password-1");
  await expect(page.getByTestId("user-menu")).toBeVisible();
}

/**
 * Records every status and progress a job's row shows on the Jobs page (a MutationObserver in the page), so the
 * journey can check the bar moved to done without timing anything.
 */
async function watchRows(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { seen: { status: string; fraction: string }[] };
    w.seen = [];
    const note = () => {
      const row = document.querySelector('[data-testid="job-row"]');
      const bar = row?.querySelector('[data-testid="job-row-bar"]');
      if (!row || !bar) return;
      const s = { status: row.getAttribute("data-status") ?? "", fraction: bar.getAttribute("data-fraction") ?? "" };
      const last = w.seen[w.seen.length - 1];
      if (!last || last.status !== s.status || last.fraction !== s.fraction) w.seen.push(s);
    };
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status", "data-fraction"] });
  });
  return () => page.evaluate(() => (window as unknown as { seen: { status: string; fraction: string }[] }).seen);
}

test("a user uploads a 3-page PDF as a job, watches it finish, and reads every page with its boxes and words", async ({ page }) => {
  test.setTimeout(240_000);
  const pdf = await makePdf(WORDS);
  const problems = await watchCsp(page);
  await signUpFresh(page);

  await page.getByTestId("nav-jobs").click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByTestId("jobs-empty")).toBeVisible();
  const seen = await watchRows(page);

  // The task follows the file's type.
  await page.getByTestId("job-file").setInputFiles({ name: "three pages.pdf", mimeType: "application/pdf", buffer: pdf });
  await expect(page.getByTestId("job-task")).toHaveValue("ocr");
  await page.getByTestId("job-submit").click();
  await expect(page.getByTestId("job-submitted")).toBeVisible();

  const row = page.getByTestId("job-row").first();
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
  await expect(row.getByTestId("job-progress-text")).toHaveText("3 / 3 pages");
  await expect(row.getByTestId("job-row-bar")).toHaveAttribute("aria-valuenow", "100");
  // It was shown queued first, its bar never went back, and it ended full.
  const history = await seen();
  expect(history[0].status).toBe("queued");
  expect(history[history.length - 1]).toEqual({ status: "succeeded", fraction: "1" });
  const fractions = history.map((h) => (h.fraction === "" ? 0 : Number(h.fraction)));
  expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
  await page.screenshot({ path: "test-results/jobs-1-list.png", fullPage: true });

  // The job: three pages, each drawn by pdf.js with its boxes over it, and the words beside it.
  await row.getByTestId("job-link").click();
  await expect(page).toHaveURL(/\/jobs\/job_[a-z0-9]+$/);
  const view = page.getByTestId("job-view");
  await expect(view).toHaveAttribute("data-status", "succeeded");
  await expect(page.getByTestId("job-cancel")).toHaveCount(0);
  await expect(page.getByTestId("job-usage")).toContainText("3 pages");
  const pages = page.getByTestId("ocr-page");
  await expect(pages).toHaveCount(3);
  const thumbs = page.getByTestId("ocr-thumb");
  await expect(thumbs).toHaveCount(3, { timeout: 30_000 });
  for (let i = 0; i < 3; i++) {
    await expect.poll(() => thumbs.nth(i).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    const p = pages.nth(i);
    await expect(p).toHaveAttribute("data-page", String(i + 1));
    expect(await p.getByTestId("ocr-page-box").count()).toBeGreaterThanOrEqual(2);
    const text = (await p.getByTestId("ocr-page-lines").innerText()).toUpperCase();
    for (const w of WORDS[i]) expect(text).toContain(w);
  }
  await page.screenshot({ path: "test-results/jobs-2-pages.png", fullPage: true });

  // Downloads: the result as JSON, and the text page by page.
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-json").click()]);
  expect(json.suggestedFilename()).toBe("three_pages.json");
  const result = JSON.parse(fs.readFileSync((await json.path())!, "utf8")) as { pages: { page: number; lines: { text: string }[] }[] };
  expect(result.pages.map((p) => p.page)).toEqual([1, 2, 3]);
  expect(result.pages[1].lines.map((l) => l.text.toUpperCase()).join(" ")).toContain("BRAVO");
  const [txt] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-text").click()]);
  const text = fs.readFileSync((await txt.path())!, "utf8");
  expect(text.match(/^--- page \d ---$/gm)).toEqual(["--- page 1 ---", "--- page 2 ---", "--- page 3 ---"]);
  expect(text.toUpperCase()).toContain("CHARLIE");
  // pdf.js's worker, fonts and page images all ran within the page's Content-Security-Policy.
  expect(problems).toEqual([]);
});

test("a recording runs as a job: its speech segments on the waveform, as a table and as CSV", async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const wavPath = path.join(__dirname, "..", "..", "public", "samples", "speech-en.wav");
  await signUpFresh(page);
  // What the synchronous API finds in the same recording: the job must find the same segments.
  const sync = await page.request.post("/api/v1/vad", { headers: { origin: baseURL! }, multipart: { audio: { name: "speech-en.wav", mimeType: "audio/wav", buffer: fs.readFileSync(wavPath) } } });
  expect(sync.status()).toBe(200);
  const expected = ((await sync.json()) as { segments: { start: number; end: number }[] }).segments;
  expect(expected.length).toBeGreaterThan(0);
  await page.goto("/jobs");
  await page.getByTestId("job-file").setInputFiles(wavPath);
  await expect(page.getByTestId("job-task")).toHaveValue("vad");
  await page.getByTestId("job-submit").click();
  const row = page.getByTestId("job-row").first();
  await expect(row).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await row.getByTestId("job-link").click();

  const overview = page.getByTestId("vad-overview");
  await expect(overview).toBeVisible();
  // Chromium decodes WAV: the waveform is drawn, not only the time axis.
  await expect(overview).toHaveAttribute("data-waveform", "ready", { timeout: 30_000 });
  const segments = Number(await overview.getAttribute("data-segments"));
  expect(segments).toBe(expected.length);
  await expect(page.getByTestId("vad-segment-row")).toHaveCount(Math.min(segments, 100));
  await page.screenshot({ path: "test-results/jobs-3-vad.png", fullPage: true });

  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-csv").click()]);
  const lines = fs.readFileSync((await csv.path())!, "utf8").trim().split("\n");
  expect(lines[0]).toBe("start,end");
  expect(lines).toHaveLength(segments + 1);
  expect(lines.slice(1)).toEqual(expected.map((s) => `${s.start.toFixed(3)},${s.end.toFixed(3)}`));
});

test("a long job is cancelled from its page before it has read every page", async ({ page }) => {
  test.setTimeout(180_000);
  // 40 pages: far more than runs between opening the job and pressing Cancel.
  const pdf = await makePdf(Array.from({ length: 40 }, (_, i) => [`PAGE ${i + 1}`]));
  await signUpFresh(page);
  await page.goto("/jobs");
  await page.getByTestId("job-file").setInputFiles({ name: "long.pdf", mimeType: "application/pdf", buffer: pdf });
  await page.getByTestId("job-submit").click();
  await page.getByTestId("job-submitted").getByRole("link").click();

  const view = page.getByTestId("job-view");
  await expect(view).toBeVisible();
  await page.getByTestId("job-cancel").click();
  await page.getByTestId("confirm-cancel-yes").click();
  await expect(page.getByTestId("job-notice")).toBeVisible();
  await expect(view).toHaveAttribute("data-status", "cancelled", { timeout: 60_000 });
  await expect(page.getByTestId("job-cancel")).toHaveCount(0);
  const done = Number(await page.getByTestId("job-bar").getAttribute("aria-valuenow"));
  expect(done).toBeLessThan(100);
  await page.screenshot({ path: "test-results/jobs-4-cancelled.png", fullPage: true });

  // The list's filters: it is among the cancelled jobs, and not among the finished ones.
  await page.getByRole("link", { name: /All jobs|全部任务/ }).click();
  await page.getByTestId("filter-status").selectOption("cancelled");
  await expect(page.getByTestId("job-row")).toHaveCount(1);
  await expect(page.getByTestId("job-row")).toHaveAttribute("data-status", "cancelled");
  await page.getByTestId("filter-status").selectOption("succeeded");
  await expect(page.getByTestId("jobs-empty")).toBeVisible();
  await page.getByTestId("filter-status").selectOption("");
  await page.getByTestId("filter-task").selectOption("vad");
  await expect(page.getByTestId("jobs-empty")).toBeVisible();
});

test("the playground refuses a PDF synchronously and runs it as a job instead", async ({ page }) => {
  test.setTimeout(180_000);
  const pdf = await makePdf(WORDS.slice(0, 2));
  await signUpFresh(page);
  await page.goto("/playground");
  await page.getByTestId("tab-ocr").click();
  await page.getByTestId("file-input").setInputFiles({ name: "two pages.pdf", mimeType: "application/pdf", buffer: pdf });
  // Offered as soon as the file is chosen (a PDF is read page by page)…
  const offer = page.getByTestId("run-as-job");
  await expect(offer).toHaveAttribute("data-reason", "pages");
  // …and the synchronous call says why, naming the jobs API.
  await page.getByTestId("run").click();
  await expect(page.getByTestId("run-error")).toContainText("multi_page_input");
  await expect(page.getByTestId("run-error-message")).toContainText("/api/v1/jobs");

  await page.getByTestId("run-as-job-button").click();
  await page.getByTestId("run-as-job-link").click();
  await expect(page).toHaveURL(/\/jobs\/job_[a-z0-9]+$/);
  const view = page.getByTestId("job-view");
  await expect(view).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await expect(page.getByTestId("ocr-page")).toHaveCount(2);
  expect((await page.getByTestId("ocr-page-lines").nth(1).innerText()).toUpperCase()).toContain("BRAVO");
});
