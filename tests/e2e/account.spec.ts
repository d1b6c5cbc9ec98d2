import { expect, test } from "@playwright/test";
import { signIn, signUp } from "./pages";

test("a user changes their password from the account menu: every session ends, the new password signs in", async ({ page, browser }) => {
  const email = `account-${Date.now()}@example.com`;
  await signUp(page, email, "first-password");
  await expect(page.getByTestId("user-menu")).toBeVisible();
  // A second device, signed in with the same account.
  const other = await browser.newContext();
  const phone = await other.newPage();
  await signIn(phone, email, "first-password");
  await expect(phone.getByTestId("user-menu")).toBeVisible();

  await page.getByTestId("user-menu").click();
  await page.getByTestId("account-link").click();
  await page.getByLabel(/^Current password|当前密码/).fill("first-password");
  await page.getByLabel(/^New password|新密码/).fill("second-password");
  await page.getByTestId("password-submit").click();
  await expect(page.getByTestId("password-message")).toContainText("Password changed");
  await expect(page).toHaveURL(/\/signin/);

  await phone.goto("/keys");
  await expect(phone).toHaveURL(/\/signin/);
  await other.close();

  await signIn(page, email, "first-password");
  await expect(page.getByTestId("form-error")).toBeVisible();
  await signIn(page, email, "second-password");
  await expect(page.getByTestId("user-menu")).toBeVisible();
});
