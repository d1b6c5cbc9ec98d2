import { expect, test } from "@playwright/test";
import { E2E_ADMIN } from "./playwright.config";
import { signIn } from "./pages";

test("an admin creates an invite link in the Users panel; the invitee signs up through it, once", async ({ page, browser }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await page.goto("/admin/users");
  const panel = page.getByTestId("invites-panel");
  const invitee = `invitee-${Date.now()}@example.com`;
  await panel.getByTestId("invite-email").fill(invitee);
  await panel.getByTestId("invite-create").click();
  const link = await panel.getByTestId("invite-url").inputValue();
  expect(new URL(link).pathname).toBe("/signup");
  await expect(panel.getByTestId("invite-row").filter({ hasText: invitee })).toHaveCount(1);

  const other = await browser.newContext();
  const guest = await other.newPage();
  await guest.goto(link);
  await expect(guest.getByTestId("signup-invited")).toBeVisible();
  await guest.getByLabel(/^Email|邮箱/).fill(invitee);
  await guest.getByLabel(/^Password|密码/).fill("invitee-password");
  await guest.getByTestId("signup-submit").click();
  await expect(guest.getByTestId("user-menu")).toBeVisible();
  await other.close();

  // Used: it leaves the list of open invites, and the same link admits nobody else.
  await page.reload();
  await expect(page.getByTestId("invites-panel").getByTestId("invite-row").filter({ hasText: invitee })).toHaveCount(0);
  const third = await browser.newContext();
  const late = await third.newPage();
  await late.goto(link);
  await late.getByLabel(/^Email|邮箱/).fill(invitee.replace("invitee", "latecomer"));
  await late.getByLabel(/^Password|密码/).fill("latecomer-password");
  await late.getByTestId("signup-submit").click();
  await expect(late.getByTestId("form-error")).toContainText(/invite link is not valid/);
  await third.close();
});
