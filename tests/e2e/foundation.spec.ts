import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./playwright.config";
import { Shell, signIn, signUp } from "./pages";

const email = () => `e2e-${Date.now()}-${Math.random().toString(36).slice(2, 6)}@example.com`;

test("sign up → land in the shell → switch to 中文 → sign out", async ({ page }) => {
  const shell = new Shell(page);
  const who = email();

  await signUp(page, who, "e2e-user-password");
  await expect(page.getByTestId("home-title")).toBeVisible();
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await expect(shell.nav("models")).toHaveText("Models");
  await expect(shell.nav("admin")).toHaveCount(0);

  await shell.switchLocale("zh");
  await expect(shell.nav("models")).toHaveText("模型");
  await expect(shell.nav("playground")).toHaveText("在线试用");
  await expect(shell.nav("keys")).toHaveText("API 密钥");
  await expect(shell.nav("usage")).toHaveText("用量");
  await shell.screenshot("foundation-zh-shell");

  // The choice is remembered: a section page renders in Chinese too.
  await shell.nav("usage").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("用量");

  await shell.signOut();
  await expect(page.getByTestId("signin-link")).toHaveText("登录");
});

test("field errors on a bad sign-up are shown next to the fields", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel(/^Email/).fill("not-an-email");
  await page.getByLabel(/^Password/).fill("longenough1");
  await page.getByTestId("signup-submit").click();
  await expect(page.getByTestId("email-error")).toHaveText("Enter a valid email address.");

  await page.getByLabel(/^Email/).fill(email());
  await page.getByLabel(/^Password/).fill("short");
  await page.getByTestId("signup-submit").click();
  await expect(page.getByTestId("password-error")).toContainText("at least 8");
});

test("an admin sees Admin; a user doesn't and is refused when typing the URL", async ({ page, browser }) => {
  const shell = new Shell(page);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(shell.nav("admin")).toBeVisible();
  await shell.nav("admin").click();
  await expect(page.getByTestId("section-admin")).toBeVisible();
  await shell.screenshot("foundation-admin");

  const userPage = await browser.newPage();
  const userShell = new Shell(userPage);
  const who = email();
  await signUp(userPage, who, "e2e-user-password");
  await expect(userPage.getByTestId("user-menu")).toBeVisible();
  await expect(userShell.nav("admin")).toHaveCount(0);
  const res = await userPage.goto("/admin");
  expect(res?.status()).toBe(403);
  await expect(userPage.getByTestId("forbidden")).toBeVisible();
  await userShell.screenshot("foundation-user-refused");
  await userPage.close();
});

test("a visitor opening the playground is sent to sign in, then returned", async ({ page }) => {
  const who = email();
  await signUp(page, who, "e2e-user-password");
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await new Shell(page).signOut();

  await page.goto("/playground");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fplayground/);
  await page.getByLabel(/^Email/).fill(who);
  await page.getByLabel(/^Password/).fill("e2e-user-password");
  await page.getByTestId("signin-submit").click();
  await expect(page).toHaveURL(/\/playground$/);
  await expect(page.getByTestId("section-playground")).toBeVisible();
});
