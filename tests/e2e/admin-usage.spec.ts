import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./playwright.config";
import { Shell, signIn, signUp } from "./pages";

const root = path.resolve(__dirname, "..", "..");
const speech = fs.readFileSync(path.join(root, "public/samples/speech-en.wav"));
const email = (tag: string) => `e2e-${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;
const PASSWORD = "e2e-user-password";
const PHONE = { width: 390, height: 844 };

/** Creates a key with the page's session cookies (the browser's Origin, as our own pages send it). */
async function createKey(page: Page, name = "e2e key"): Promise<{ id: string; key: string; prefix: string }> {
  const origin = new URL(page.url()).origin;
  const res = await page.request.post("/api/v1/keys", { data: { name }, headers: { origin } });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; key: string; prefix: string };
}

function callVad(page: Page, key: string) {
  return page.request.post("/api/v1/vad", {
    headers: { authorization: `Bearer ${key}` },
    multipart: { audio: { name: "speech-en.wav", mimeType: "audio/wav", buffer: speech } },
  });
}

async function newDeveloper(page: Page, tag: string): Promise<string> {
  const who = email(tag);
  await signUp(page, who, PASSWORD);
  await expect(page.getByTestId("user-menu")).toBeVisible();
  return who;
}

test("a developer's API calls appear on /usage (table, charts, CSV) and on the admin dashboard", async ({ page, browser }) => {
  const shell = new Shell(page);
  const who = await newDeveloper(page, "usage");
  const key = await createKey(page);
  for (let i = 0; i < 3; i++) expect((await callVad(page, key.key)).status()).toBe(200);
  // Usage events are written off the response path: wait until the API reports them.
  await expect
    .poll(async () => ((await (await page.request.get("/api/v1/usage?model=silero-vad-v5")).json()) as { totals: { requests: number } }).totals.requests)
    .toBe(3);

  await shell.nav("usage").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Usage");
  await page.getByTestId("usage-model").selectOption("silero-vad-v5");
  await expect(page.getByTestId("stat-requests")).toHaveText("3");
  const rows = page.getByTestId("recent-row");
  await expect(rows).toHaveCount(3);
  for (const row of await rows.all()) {
    await expect(row).toContainText("silero-vad-v5");
    await expect(row).toContainText(key.prefix);
    await expect(row).toContainText("200");
  }
  await expect(page.getByTestId("by-key-row")).toContainText(key.prefix);
  await expect(page.getByTestId("usage-requests-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByTestId("usage-compute-chart").locator(".recharts-line")).toBeVisible();
  await expect(page.getByTestId("quota-requests-text")).toContainText("of 1,000");
  await expect(page.getByTestId("routing-empty")).toBeVisible();

  // The table filter narrows in the browser; the key filter asks the API again.
  await page.getByTestId("recent-show").selectOption("errors");
  await expect(page.getByTestId("recent-empty")).toBeVisible();
  await page.getByTestId("recent-show").selectOption("all");
  await page.getByTestId("usage-key").selectOption(key.id);
  await expect(rows).toHaveCount(3);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("usage-export").click()]);
  expect(download.suggestedFilename()).toMatch(/^pareto-usage-.*\.csv$/);
  const csv = fs.readFileSync((await download.path())!, "utf8").trim().split("\r\n");
  expect(csv).toHaveLength(4);
  expect(csv[0]).toContain("request_id");
  await shell.screenshot("usage-desktop");

  await page.setViewportSize(PHONE);
  await expect(page.getByTestId("stat-requests")).toBeVisible();
  await shell.screenshot("usage-phone");

  // The admin's dashboard counts the same three requests for this user.
  const adminPage = await browser.newPage();
  const admin = new Shell(adminPage);
  await signIn(adminPage, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(admin.nav("admin")).toBeVisible();
  await admin.nav("admin").click();
  await expect(adminPage.getByTestId("admin-dashboard")).toBeVisible();
  await adminPage.getByTestId("admin-model").selectOption("silero-vad-v5");
  const mine = adminPage.getByTestId("admin-top-users-row").filter({ hasText: who });
  await expect(mine).toContainText("3");
  expect(Number((await adminPage.getByTestId("admin-stat-requests").textContent())?.replace(/\D/g, ""))).toBeGreaterThanOrEqual(3);
  await expect(adminPage.getByTestId("admin-top-keys-row").filter({ hasText: key.prefix })).toContainText(who);
  await expect(adminPage.getByTestId("admin-requests-chart").locator(".recharts-bar-rectangle").first()).toBeVisible();
  await admin.screenshot("admin-dashboard-desktop");
  await adminPage.setViewportSize(PHONE);
  await admin.screenshot("admin-dashboard-phone");
  await adminPage.close();
});

test("a new developer sees the empty state on /usage", async ({ page }) => {
  await newDeveloper(page, "empty");
  await page.goto("/usage");
  await expect(page.getByTestId("empty-state")).toBeVisible();
  await expect(page.getByTestId("quota-reset")).toBeVisible();
  const shell = new Shell(page);
  await shell.screenshot("usage-empty");
  await shell.switchLocale("zh");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("用量");
  await expect(page.getByTestId("empty-state")).toContainText("此范围内没有请求");
  await page.setViewportSize(PHONE);
  await shell.screenshot("usage-empty-zh-phone");
});

test("a model=auto choice is explained on /usage in the reader's language", async ({ page }) => {
  await newDeveloper(page, "auto");
  const key = await createKey(page);
  // A constraint nothing meets: refused (422) when this host has figures, the task default (200) when it has none;
  // either way the decision and its reason are recorded.
  const res = await page.request.post("/api/v1/vad", {
    headers: { authorization: `Bearer ${key.key}` },
    multipart: { audio: { name: "speech-en.wav", mimeType: "audio/wav", buffer: speech }, model: "auto", max_latency_ms: "0.001" },
  });
  expect([200, 422]).toContain(res.status());
  await page.goto("/usage");
  const row = page.getByTestId("routing-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/No (vad model satisfies p95 ≤ 0\.001 ms|benchmarks of vad models)/);
  const shell = new Shell(page);
  await shell.switchLocale("zh");
  await expect(row).toContainText(/本主机上(没有满足 p95 ≤ 0\.001 毫秒|还没有 vad 模型的基准测试)/);
  await expect(row).not.toContainText("No vad model");
  await shell.screenshot("usage-routing-zh");
});

test("a USER typing an /admin address gets the 403 page", async ({ page }) => {
  await newDeveloper(page, "refused");
  for (const p of ["/admin", "/admin/users", "/admin/models", "/admin/audit"]) {
    const res = await page.goto(p);
    expect(res?.status()).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
  }
  await new Shell(page).screenshot("admin-user-refused");
});

test("an admin disables a user and that user's key is refused at once; the audit log shows it", async ({ page, browser }) => {
  const userPage = await browser.newPage();
  const who = await newDeveloper(userPage, "disable");
  const key = await createKey(userPage);
  expect((await callVad(userPage, key.key)).status()).toBe(200);

  const shell = new Shell(page);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(shell.nav("admin")).toBeVisible();
  await page.goto("/admin/users");
  await page.getByTestId("users-search").fill(who);
  const row = page.locator(`[data-testid="user-row"][data-email="${who}"]`);
  await expect(page.getByTestId("user-row")).toHaveCount(1);
  await expect(row.getByTestId("user-status")).toHaveText("Active");
  await row.getByTestId("user-disable").click();
  await row.getByTestId("user-confirm-disable").click();
  await expect(row.getByTestId("user-status")).toHaveText("Disabled");
  await expect(page.getByTestId("users-notice")).toContainText(who);
  await shell.screenshot("admin-users");
  await page.setViewportSize(PHONE);
  await shell.screenshot("admin-users-phone");
  await page.setViewportSize({ width: 1280, height: 720 });

  const refused = await callVad(userPage, key.key);
  expect(refused.status()).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("account_disabled");
  await userPage.close();

  await page.getByTestId("admin-tab-audit").click();
  await page.getByTestId("audit-action").selectOption("user.update");
  await expect(page.getByTestId("audit-row").first()).toContainText('"disabled":true');
  await shell.screenshot("admin-audit");
  await page.setViewportSize(PHONE);
  await shell.screenshot("admin-audit-phone");
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByTestId("locale-switch").selectOption("zh");
  await expect(page.getByTestId("admin-tab-audit")).toHaveText("审计日志");
  await shell.screenshot("admin-audit-zh");
  await page.getByTestId("locale-switch").selectOption("en");
  await expect(page.getByTestId("admin-tab-audit")).toHaveText("Audit log");
});

test("an admin operates models and edits plans", async ({ page }) => {
  const shell = new Shell(page);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(shell.nav("admin")).toBeVisible();
  await page.goto("/admin/models");
  const row = page.locator('[data-testid="model-row"][data-model="silero-vad-v6"]');
  await expect(row).toBeVisible();
  if ((await row.getAttribute("data-status")) !== "READY") await row.getByTestId("model-load").click();
  await expect(row.getByTestId("model-status")).toHaveText("Ready", { timeout: 30_000 });
  await shell.screenshot("admin-models");
  await row.getByTestId("model-unload").click();
  await expect(row.getByTestId("model-status")).toHaveText("Unloaded");
  const toggle = row.getByTestId("model-enabled");
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await page.setViewportSize(PHONE);
  await shell.screenshot("admin-models-phone");
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByTestId("admin-tab-plans").click();
  const pro = page.locator('[data-testid="plan-card"][data-plan="Pro"]');
  const rpm = pro.getByTestId("plan-requests_per_minute");
  const before = await rpm.inputValue();
  await rpm.fill("abc");
  await pro.getByTestId("plan-save").click();
  await expect(pro.getByTestId("plan-status")).toContainText("whole numbers");
  await rpm.fill(String(Number(before) + 1));
  await pro.getByTestId("plan-save").click();
  await expect(pro.getByTestId("plan-status")).toHaveText("Saved Pro.");
  await shell.screenshot("admin-plans");
  await rpm.fill(before);
  await pro.getByTestId("plan-save").click();
  await expect(pro.getByTestId("plan-status")).toHaveText("Saved Pro.");
});
