import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./playwright.config";
import { Shell, signUp } from "./pages";

const root = path.resolve(__dirname, "..", "..");
const email = () => `portal-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;

async function newSignedInUser(page: Page) {
  await signUp(page, email(), "portal-password");
  await expect(page.getByTestId("user-menu")).toBeVisible();
}

test("1. a visitor browses /models, filters by task, opens an OCR card and sees snippets", async ({ page }) => {
  await page.goto("/models");
  // 4 OCR and 3 VAD variants, and the language identifier's 3.
  await expect(page.getByTestId("model-list").locator("li")).toHaveCount(10);
  await page.getByTestId("filter-task").selectOption("ocr");
  const cards = page.getByTestId("model-list").locator("li");
  await expect(cards).toHaveCount(4);
  for (const task of await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-task")))) expect(task).toBe("ocr");
  await page.getByTestId("model-card-ppocr-v4-det960").click();
  await expect(page.getByTestId("model-card")).toBeVisible();
  await expect(page.getByTestId("snippet-curl")).toContainText("/api/v1/ocr");
  await expect(page.getByTestId("snippet-curl")).toContainText("Authorization: Bearer $PARETO_API_KEY");
  await page.getByTestId("snippet-tab-python").click();
  await expect(page.getByTestId("snippet-python")).toContainText("requests.post(");
  // The raw-body form (issue 12): the file as the body, the options in the query string.
  await expect(page.getByTestId("snippet-tab-curlRaw")).toHaveText("curl (raw body)");
  await page.getByTestId("snippet-tab-curlRaw").click();
  await expect(page.getByTestId("snippet-curlRaw")).toContainText("/api/v1/ocr?model=ppocr-v4-det960");
  await expect(page.getByTestId("snippet-curlRaw")).toContainText("Content-Type: image/png");
  await expect(page.getByTestId("snippet-curlRaw")).toContainText("--data-binary '@");
  await expect(page.getByTestId("io-table")).toContainText("ppocr-v4-rec");
  await page.screenshot({ path: "test-results/journey-1-model-card.png", fullPage: true });
});

test("2. a user runs OCR on a sample: the known text appears and boxes are drawn", async ({ page }) => {
  await newSignedInUser(page);
  await page.goto("/playground");
  await page.getByTestId("sample-sign-en").click();
  await expect(page.getByTestId("selected-input")).toContainText("sign-en.png");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("ocr-lines")).toContainText("Opening Hours", { timeout: 30_000 });
  await expect(page.getByTestId("ocr-lines")).toContainText("Saturday: 10:00 - 18:00");
  expect(await page.getByTestId("ocr-box").count()).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId("run-model")).toHaveText("ppocr-v4-det960");
  await expect(page.getByTestId("run-compute")).toHaveText(/\d+(\.\d+)? ms/);
  await page.getByTestId("ocr-line").nth(1).hover();
  await page.screenshot({ path: "test-results/journey-2-playground-ocr.png", fullPage: true });
});

test("3. a user uploads a WAV: segments appear on the waveform", async ({ page }) => {
  await newSignedInUser(page);
  await page.goto("/playground");
  await page.getByTestId("tab-vad").click();
  await page.getByTestId("file-input").setInputFiles(path.join(root, "public/samples/speech-en.wav"));
  await page.getByTestId("run").click();
  await expect(page.getByTestId("vad-segments")).toBeVisible({ timeout: 30_000 });
  const n = await page.getByTestId("vad-segment").count();
  expect(n).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("waveform")).toHaveAttribute("data-segments", String(n));
  await page.screenshot({ path: "test-results/journey-3-playground-vad.png", fullPage: true });
});

test("4. compare two OCR variants on one image: two results with latencies", async ({ page }) => {
  await newSignedInUser(page);
  await page.goto("/playground");
  await page.getByTestId("mode-compare").check();
  await page.getByTestId("compare-ppocr-v4-det960").check();
  await page.getByTestId("compare-ppocr-v4-det640").check();
  await page.getByTestId("sample-notice-zh").click();
  await expect(page.getByTestId("selected-input")).toBeVisible();
  await page.getByTestId("run").click();
  await expect(page.getByTestId("run-card")).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId("run-model")).toHaveText(["ppocr-v4-det960", "ppocr-v4-det640"]);
  for (const l of await page.getByTestId("run-latency").allTextContents()) expect(l).toMatch(/^\d+ ms$/);
  await expect(page.getByTestId("results")).toContainText("停水通知");
  await page.screenshot({ path: "test-results/journey-4-compare.png", fullPage: true });
});

test("5. create a key, call the API with it, see it in usage, revoke it → 401", async ({ page, request, baseURL }) => {
  await newSignedInUser(page);
  await page.goto("/keys");
  await expect(page.getByTestId("keys-empty")).toBeVisible();
  await page.getByTestId("create-key").click();
  await page.getByTestId("key-name").fill("journey five");
  await page.getByTestId("key-submit").click();
  const key = (await page.getByTestId("new-key").textContent())!.trim();
  expect(key).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
  await page.screenshot({ path: "test-results/journey-5-key-shown.png" });
  await page.getByTestId("key-shown-done").click();
  await expect(page.getByTestId("key-row")).toHaveCount(1);
  await expect(page.getByTestId("keys-table")).not.toContainText(key);

  const image = fs.readFileSync(path.join(root, "public/samples/sign-en.png"));
  const call = () => request.post(`${baseURL}/api/v1/ocr`, { headers: { authorization: `Bearer ${key}` }, multipart: { image: { name: "sign-en.png", mimeType: "image/png", buffer: image } } });
  const ok = await call();
  expect(ok.status()).toBe(200);
  const requestId = ok.headers()["x-request-id"];

  // Usage events are written in batches a fraction of a second after the response.
  await expect(async () => {
    await page.goto("/usage");
    await expect(page.locator(`[data-testid="recent-row"][data-model="ppocr-v4-det960"] time[title="${requestId}"]`)).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 20_000 });
  await page.screenshot({ path: "test-results/journey-5-usage.png", fullPage: true });

  await page.goto("/keys");
  await page.getByTestId("revoke-key").click();
  await page.getByTestId("confirm").click();
  await expect(page.getByTestId("key-status")).toHaveText("revoked");
  const after = await call();
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe("revoked_api_key");
});

test("6. a user over quota sees the quota message in the playground", async ({ page, browser, baseURL }) => {
  // Shrink the Free plan's monthly requests for the length of this test (the suite runs one test at a time).
  const base = baseURL!;
  const admin = await browser.newContext();
  const csrf = await (await admin.request.get(`${base}/api/auth/csrf`)).json();
  await admin.request.post(`${base}/api/auth/callback/credentials`, { form: { csrfToken: csrf.csrfToken, email: E2E_ADMIN.email, password: E2E_ADMIN.password, json: "true" } });
  const plans = await (await admin.request.get(`${base}/api/v1/admin/plans`)).json();
  const free = plans.data.find((p: { name: string }) => p.name === "Free");
  try {
    await newSignedInUser(page);
    const set = async (n: number) => expect((await admin.request.patch(`${base}/api/v1/admin/plans/${free.id}`, { headers: { origin: base }, data: { monthly_requests: n } })).status()).toBe(200);
    await set(2);
    const wav = fs.readFileSync(path.join(root, "public/samples/speech-en.wav")).subarray(0, 44 + 3200);
    wav.writeUInt32LE(wav.length - 8, 4);
    wav.writeUInt32LE(wav.length - 44, 40);
    for (let i = 0; i < 2; i++) {
      const r = await page.request.post("/api/v1/vad", { headers: { origin: base }, multipart: { audio: { name: "a.wav", mimeType: "audio/wav", buffer: wav } } });
      expect(r.status()).toBe(200);
    }
    await page.goto("/playground");
    await page.getByTestId("sample-sign-en").click();
    await expect(page.getByTestId("selected-input")).toBeVisible();
    await page.getByTestId("run").click();
    await expect(page.getByTestId("run-error")).toContainText("quota_exceeded");
    await expect(page.getByTestId("run-error-message")).toContainText("Monthly quota exhausted");
    await page.screenshot({ path: "test-results/journey-6-quota.png", fullPage: true });
  } finally {
    await admin.request.patch(`${base}/api/v1/admin/plans/${free.id}`, { headers: { origin: base }, data: { monthly_requests: free.monthly_requests } });
    await admin.close();
  }
});

test("8. journey 2 in 中文", async ({ page }) => {
  await newSignedInUser(page);
  await new Shell(page).switchLocale("zh");
  await page.goto("/playground");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("在线试用");
  await page.getByTestId("sample-sign-en").click();
  await expect(page.getByTestId("selected-input")).toContainText("已选择");
  await page.getByTestId("run").click();
  await expect(page.getByTestId("ocr-lines")).toContainText("Opening Hours", { timeout: 30_000 });
  expect(await page.getByTestId("ocr-box").count()).toBeGreaterThanOrEqual(5);
  await expect(page.getByText("识别出的文字行")).toBeVisible();
  await page.screenshot({ path: "test-results/journey-8-playground-zh.png", fullPage: true });
});

test("a playground run with model auto shows which model was chosen and why", async ({ page }) => {
  await newSignedInUser(page);
  await page.goto("/playground");
  await page.getByTestId("model-select").selectOption("auto");
  await page.getByTestId("opt-objective").selectOption("fastest");
  await page.getByTestId("sample-sign-en").click();
  await expect(page.getByTestId("selected-input")).toBeVisible();
  await page.getByTestId("run").click();
  await expect(page.getByTestId("auto-reason")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("run-model")).toHaveText(/^ppocr-v4-/);
  await expect(page.getByTestId("ocr-lines")).toContainText("Opening Hours");
  await page.screenshot({ path: "test-results/journey-auto-playground.png", fullPage: true });
});
