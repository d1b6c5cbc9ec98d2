import { expect, type Page } from "@playwright/test";

/** Page objects over data-testid selectors, so journeys read as steps. */
export class Shell {
  constructor(readonly page: Page) {}

  nav(name: "models" | "playground" | "jobs" | "keys" | "usage" | "admin") {
    return this.page.getByTestId(`nav-${name}`);
  }

  async switchLocale(locale: "en" | "zh") {
    await this.page.getByTestId("locale-switch").selectOption(locale);
    await expect(this.page.locator("html")).toHaveAttribute("lang", locale === "zh" ? "zh-CN" : "en");
  }

  async signOut() {
    await this.page.getByTestId("user-menu").click();
    await this.page.getByTestId("signout").click();
    await expect(this.page.getByTestId("signin-link")).toBeVisible();
  }

  async screenshot(name: string) {
    await this.page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
  }
}

export async function signUp(page: Page, email: string, password: string) {
  await page.goto("/signup");
  await page.getByLabel(/^Email|邮箱/).fill(email);
  await page.getByLabel(/^Password|密码/).fill(password);
  await page.getByTestId("signup-submit").click();
}

export async function signIn(page: Page, email: string, password: string, path = "/signin") {
  await page.goto(path);
  await page.getByLabel(/^Email|邮箱/).fill(email);
  await page.getByLabel(/^Password|密码/).fill(password);
  await page.getByTestId("signin-submit").click();
}

/**
 * After signing in as a user whose saved language may be 中文 (another journey switched it): English, set on a page
 * rendered after sign-in (a switch on the first page is a no-op, and the saved language would come back).
 */
export async function inEnglish(page: Page): Promise<void> {
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await page.goto("/admin");
  await new Shell(page).switchLocale("en");
}
