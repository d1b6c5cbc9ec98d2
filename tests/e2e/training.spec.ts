import { expect, test, type Locator, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./playwright.config";
import { inEnglish, Shell, signIn, signUp } from "./pages";

/**
 * The admin's language is saved with the account and other journeys leave it in 中文, while the page right after
 * sign-in may have rendered before the saved choice was restored (the header's switch then shows English and
 * choosing it does nothing). A page rendered after sign-in shows the saved choice; switching there saves English.
 */

const tag = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/**
 * A small support-ticket dataset: two labels with their own words, 40 rows each, and two rows the trainer must
 * leave out — an empty text on line 12 and a row without its label on line 30 (line 1 is the header).
 */
function ticketsCsv(): { csv: string; badLines: number[] } {
  const billing = ["my invoice {n} was charged twice", "please refund the payment for order {n}", "why is my bill {n} so high this month", "the card was declined on invoice {n}"];
  const shipping = ["where is my parcel {n}", "the package {n} has not arrived yet", "tracking number {n} shows no update", "delivery of box {n} is late again"];
  const rows: string[] = [];
  for (let n = 1; n <= 10; n++) for (let i = 0; i < 4; i++) rows.push(`${billing[i].replace("{n}", String(n))},billing`, `${shipping[i].replace("{n}", String(n))},shipping`);
  const lines = ["text,label", ...rows];
  lines.splice(11, 0, ",billing"); // line 12: empty text
  lines.splice(29, 0, "a row without its label"); // line 30: missing field
  return { csv: `${lines.join("\n")}\n`, badLines: [12, 30] };
}

/** mulberry32: the cancelled run's dataset is the same every time. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 20,000 noisy rows over a 600-word vocabulary in four labels: enough work that a long budget is still running when cancelled, also on a fast machine (4,000 finished within the check). */
function largeCsv(): string {
  const rnd = prng(14);
  const word = (i: number) => `w${i.toString(36)}`;
  const lines = ["text,label"];
  for (let r = 0; r < 20_000; r++) {
    const label = r % 4;
    const words = Array.from({ length: 8 + Math.floor(rnd() * 10) }, () => word(rnd() < 0.3 ? label * 150 + Math.floor(rnd() * 150) : Math.floor(rnd() * 600)));
    lines.push(`${words.join(" ")},topic${label}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Drops a file on a drop zone the way a browser does: a `drop` event carrying a DataTransfer with the file. */
async function dropFile(page: Page, zone: Locator, name: string, text: string) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, text }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: "text/csv" }));
      return dt;
    },
    { name, text },
  );
  await zone.dispatchEvent("dragover", { dataTransfer });
  await zone.dispatchEvent("drop", { dataTransfer });
}

test("an admin trains a classifier from a CSV, watches it finish, deploys a candidate and classifies text with it", async ({ page }) => {
  test.setTimeout(240_000);
  const id = `e2e-tickets-${tag()}`;
  const { csv, badLines } = ticketsCsv();
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await inEnglish(page);
  await expect(page.getByTestId("user-menu")).toBeVisible();

  // From the models admin page to the form.
  await page.goto("/admin/models");
  await page.getByTestId("train-model-link").click();
  await expect(page).toHaveURL(/\/admin\/training\/new$/);
  await expect(page.getByTestId("admin-tab-training")).toHaveAttribute("aria-current", "page");

  // Dropping the dataset previews it: rows per label as bars, the rows left out with their line numbers.
  await dropFile(page, page.getByTestId("drop-dataset"), "support tickets.csv", csv);
  const preview = page.getByTestId("dataset-preview");
  await expect(preview).toHaveAttribute("data-rows", "80", { timeout: 30_000 });
  await expect(preview.getByTestId("label-count")).toHaveCount(2);
  await expect(preview.locator('[data-testid="label-count"][data-label="billing"]')).toHaveAttribute("data-count", "40");
  await expect(preview.locator('[data-testid="label-count"][data-label="shipping"]')).toHaveAttribute("data-count", "40");
  await expect(preview).toHaveAttribute("data-bad", "2");
  await expect(preview.getByTestId("bad-row")).toHaveCount(2);
  expect(await preview.getByTestId("bad-row").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-line"))))).toEqual(badLines);
  await expect(preview.locator('[data-testid="bad-row"][data-line="12"]')).toHaveAttribute("data-reason", "empty_text");
  await expect(page.getByTestId("preview-refusal")).toHaveCount(0);
  // The id was suggested from the file name; this run uses its own.
  await expect(page.locator("#train-id")).toHaveValue("support-tickets");
  await page.screenshot({ path: "test-results/training-1-preview.png", fullPage: true });

  await page.locator("#train-id").fill(id);
  await page.locator("#train-name").fill("E2E support tickets");
  await page.locator("#train-budget_s").fill("5");
  await page.getByTestId("objective-most_accurate").check();
  await page.getByTestId("train-start").click();

  // The run's page: progress and phase, a live loss curve, then the candidates.
  await expect(page).toHaveURL(/\/admin\/training\/[^/]+$/, { timeout: 30_000 });
  const run = page.getByTestId("training-run");
  await expect(run).toBeVisible();
  await expect(page.getByTestId("run-progress")).toBeVisible();
  await expect(page.getByTestId("run-bar")).toBeVisible();
  await expect(run).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
  const runUrl = page.url();
  await expect(page.getByTestId("run-percent")).toHaveText("100 %");
  const chart = page.getByTestId("loss-chart");
  await expect(chart).toBeVisible();
  expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(0);
  expect(Number(await chart.getAttribute("data-candidates"))).toBeGreaterThan(0);

  const rows = page.getByTestId("candidate-row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("frontier-plot")).toHaveAttribute("data-points", String(await rows.count()));
  await expect(page.getByTestId("candidate-best")).toHaveCount(1);
  // The best serves; another one is deployed in its place.
  await expect(page.locator('[data-testid="candidate-row"][data-traffic="100"]')).toHaveCount(1);
  const other = page.locator('[data-testid="candidate-row"][data-traffic="0"]').first();
  const version = await other.getAttribute("data-version");
  expect(version).toBeTruthy();
  await page.screenshot({ path: "test-results/training-2-finished.png", fullPage: true });
  await other.getByTestId("candidate-deploy").click();
  await expect(page.getByTestId("run-notice")).toContainText(version!);
  await expect(page.locator(`[data-testid="candidate-row"][data-version="${version}"]`)).toHaveAttribute("data-traffic", "100");
  await expect(page.locator('[data-testid="candidate-row"][data-traffic="100"]')).toHaveCount(1);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/training-2b-finished-phone.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // The model card shows it as a text classifier with its labels.
  await page.getByTestId("run-model-card").click();
  await expect(page.getByTestId("admin-model-card")).toHaveAttribute("data-model", id);
  const text = page.getByTestId("text-model");
  await expect(text).toHaveAttribute("data-labels", "2");
  expect((await text.getByTestId("text-label").allTextContents()).sort()).toEqual(["billing", "shipping"]);
  await expect(text.locator(`[data-testid="text-version"][data-version="${version}"]`)).toBeVisible();
  await page.screenshot({ path: "test-results/training-2c-admin-card.png", fullPage: true });
  await page.goto(`/models/${id}`);
  await expect(page.getByTestId("text-model")).toHaveAttribute("data-labels", "2");
  await expect(page.getByTestId("text-featurizer")).toBeVisible();
  await page.screenshot({ path: "test-results/training-2d-public-card.png", fullPage: true });

  // "Classify text with it": the playground's Classify tab with the model chosen.
  await page.getByTestId("text-try").click();
  await expect(page).toHaveURL(/\/playground\?/);
  await expect(page.getByTestId("tab-classify")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("classify-model")).toHaveValue(id);
  await page.getByTestId("classify-text").fill("where is my parcel 77, it has not arrived\n\nplease refund the payment for order 12");
  await page.getByTestId("classify-top-k").fill("2");
  await page.getByTestId("classify-run").click();
  const results = page.getByTestId("classify-result");
  await expect(results).toHaveCount(2, { timeout: 30_000 });
  await expect(results.nth(0)).toHaveAttribute("data-label", "shipping");
  await expect(results.nth(1)).toHaveAttribute("data-label", "billing");
  await expect(results.nth(0).getByTestId("classify-label")).toHaveCount(2);
  await expect(results.nth(1)).toContainText("Line 3");
  await expect(page.getByTestId("run-model")).toHaveText(id);
  await expect(page.getByTestId("run-units")).toHaveText("2");
  await expect(page.getByTestId("run-snippets").getByTestId("snippet-curl")).toContainText("/api/v1/classify");
  await expect(page.getByTestId("run-snippets").getByTestId("snippet-curl")).toContainText(`"model":"${id}"`);
  await page.screenshot({ path: "test-results/training-3-classify.png", fullPage: true });

  // The run is listed.
  await page.goto("/admin/training");
  await expect(page.locator(`[data-testid="run-row"][data-status="succeeded"]`).filter({ hasText: id })).toHaveCount(1);
  await page.screenshot({ path: "test-results/training-5-runs.png", fullPage: true });

  // The run's page in Chinese.
  await new Shell(page).switchLocale("zh");
  await page.goto(runUrl);
  await expect(page.getByTestId("run-phase")).toHaveText("完成：模型已可调用");
  await expect(page.getByTestId("candidate-row").first()).toBeVisible();
  await page.screenshot({ path: "test-results/training-6-run-zh.png", fullPage: true });
  await new Shell(page).switchLocale("en");
});

test("an admin cancels a training run", async ({ page }) => {
  test.setTimeout(120_000);
  const csv = largeCsv();
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await inEnglish(page);
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await page.goto("/admin/training/new");
  await dropFile(page, page.getByTestId("drop-dataset"), "tickets.csv", csv);
  await expect(page.getByTestId("dataset-preview")).toBeVisible({ timeout: 30_000 });
  await page.locator("#train-id").fill(`e2e-cancel-${tag()}`);
  await page.locator("#train-budget_s").fill("600");
  await page.getByTestId("train-start").click();
  const run = page.getByTestId("training-run");
  await expect(run).toHaveAttribute("data-status", /queued|running/, { timeout: 30_000 });
  // The loss curve is drawn while it trains, and the page follows the run (it polls about once a second). The curve
  // gains points only when an epoch ends on a throttled progress report, so the live check is the progress bar.
  const chart = page.getByTestId("loss-chart");
  await expect(chart).toBeVisible({ timeout: 60_000 });
  expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(0);
  const percent = async () => Number.parseFloat((await page.getByTestId("run-percent").textContent()) ?? "0");
  const before = await percent();
  await expect.poll(percent, { timeout: 30_000 }).toBeGreaterThan(before);
  await expect(run).toHaveAttribute("data-status", "running");
  await page.screenshot({ path: "test-results/training-7-running.png", fullPage: true });
  await page.getByTestId("run-cancel").click();
  await page.getByTestId("confirm-cancel-yes").click();
  await expect(run).toHaveAttribute("data-status", "cancelled", { timeout: 30_000 });
  await expect(page.getByTestId("run-cancel")).toHaveCount(0);
  await expect(page.getByTestId("candidates")).toHaveCount(0);
});

test("the form checks its fields, and the preview says why a dataset cannot be trained", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await inEnglish(page);
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await page.goto("/admin/training/new");
  await page.getByTestId("train-start").click();
  await expect(page.getByTestId("error-dataset")).toBeVisible();
  await expect(page.getByTestId("error-id")).toBeVisible();
  // One label only: previewed, and refused before anything starts.
  const one = ["text,label", ...Array.from({ length: 10 }, (_, i) => `message number ${i},only`)].join("\n");
  await dropFile(page, page.getByTestId("drop-dataset"), "one-label.csv", one);
  await expect(page.getByTestId("preview-refusal")).toContainText("only", { timeout: 30_000 });
  await page.locator("#train-id").fill(`e2e-one-${tag()}`);
  await page.getByTestId("train-start").click();
  // The server's refusal, under the field it concerns.
  await expect(page.getByTestId("field-dataset").getByTestId("error-dataset")).toContainText("at least two labels", { timeout: 30_000 });
  await expect(page.getByTestId("train-error")).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/training\/new$/);
});

test("a user classifies text with the built-in language identifier in the playground", async ({ page }) => {
  await signUp(page, `classify-${tag()}@example.com`, "classify-password");
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await page.goto("/playground");
  await page.getByTestId("tab-classify").click();
  await expect(page.getByTestId("classify-model")).toHaveValue("langid-default");
  // Nothing typed: said before anything is sent.
  await page.getByTestId("classify-run").click();
  await expect(page.getByTestId("problem")).toBeVisible();
  await page.getByTestId("classify-text").fill("Bonjour tout le monde, comment allez-vous aujourd'hui ?\nDas Wetter ist heute sehr schön, wir gehen spazieren.");
  await page.getByTestId("classify-run").click();
  const results = page.getByTestId("classify-result");
  await expect(results).toHaveCount(2, { timeout: 30_000 });
  await expect(results.nth(0)).toHaveAttribute("data-label", "fr");
  await expect(results.nth(1)).toHaveAttribute("data-label", "de");
  await expect(results.nth(0).getByTestId("classify-label")).toHaveCount(3);
  await page.getByTestId("run-snippets").getByTestId("snippet-tab-python").click();
  await expect(page.getByTestId("run-snippets").getByTestId("snippet-python")).toContainText('"model": "langid-default"');
  await page.screenshot({ path: "test-results/training-4-langid.png", fullPage: true });
});
