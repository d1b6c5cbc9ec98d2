import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./playwright.config";
import { inEnglish, Shell, signIn, signUp } from "./pages";

test("admin runs a quick benchmark on two variants, watches it finish, and reads the frontier", async ({ page }) => {
  test.setTimeout(240_000);
  const shell = new Shell(page);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await inEnglish(page);
  await page.getByTestId("nav-selection").click();
  await expect(page).toHaveURL(/\/selection$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Model selection");
  await expect(page.getByTestId("selection-host")).toContainText(/cores/);

  const panel = page.getByTestId("benchmark-panel");
  await expect(panel).toBeVisible();
  await page.getByTestId("benchmark-mode").selectOption("quick");
  await page.getByTestId("benchmark-model-silero-vad-v5").check();
  await page.getByTestId("benchmark-model-silero-vad-v6").check();
  await page.getByTestId("benchmark-start").click();

  const progress = page.getByTestId("benchmark-progress");
  await expect(progress).toBeVisible();
  await expect(page.getByTestId("benchmark-model-progress-silero-vad-v5")).toBeVisible();
  await expect(page.getByTestId("benchmark-model-progress-silero-vad-v6")).toBeVisible();
  await shell.screenshot("selection-benchmark-running");
  await expect(progress).toHaveAttribute("data-status", "succeeded", { timeout: 180_000 });
  await expect(page.getByTestId("benchmark-status")).toHaveText("Finished");
  await expect(page.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");

  // The page re-renders with the new figures: both points on the VAD chart, in the leaderboard too.
  const chart = page.getByTestId("frontier-chart-vad");
  await expect(chart).toHaveAttribute("data-points", "2", { timeout: 15_000 });
  await expect(chart.locator(".recharts-scatter-symbol")).toHaveCount(2);
  await expect(page.getByTestId("leaderboard-row-silero-vad-v5")).toBeVisible();
  await expect(page.getByTestId("leaderboard-row-silero-vad-v6")).toBeVisible();
  await expect(page.getByTestId("conditions-vad")).toContainText("8 of 50");
  await expect(page.getByTestId("no-figures-ocr")).toBeVisible();
  await shell.screenshot("selection-frontier");

  // Hovering a point shows its figures.
  await chart.locator(".recharts-scatter-symbol").first().hover();
  await expect(page.getByTestId("frontier-tooltip")).toBeVisible();
  await expect(page.getByTestId("frontier-tooltip")).toContainText("silero-vad-v");
  await shell.screenshot("selection-tooltip");

  // Memory axis, sorting, and the deployability breakdown.
  await page.getByTestId("axis-vad-memory").click();
  await expect(page.getByTestId("axis-vad-memory")).toHaveAttribute("aria-selected", "true");
  await page.getByTestId("sort-vad-accuracy").click();
  await expect(page.locator("[data-testid=leaderboard-vad] th[aria-sort=descending]")).toHaveCount(1);
  await page.getByTestId("leaderboard-row-silero-vad-v6").getByRole("button").click();
  await expect(page.getByTestId("deployability-silero-vad-v6")).toBeVisible();
  await expect(page.getByTestId("deployability-silero-vad-v6-score")).toContainText("/ 100");
  await shell.screenshot("selection-memory-deployability");

  // The same page in Chinese.
  await shell.switchLocale("zh");
  await expect(page.getByTestId("nav-selection")).toHaveText("选型");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("模型选型");
});

test("a user sees the frontier but no benchmark panel", async ({ page }) => {
  await signUp(page, `e2e-sel-${Date.now()}@example.com`, "e2e-user-password");
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await page.goto("/selection");
  await expect(page.getByTestId("section-selection")).toBeVisible();
  await expect(page.getByTestId("selection-task-ocr")).toBeVisible();
  await expect(page.getByTestId("benchmark-panel")).toHaveCount(0);
});
