import { expect, test } from "@playwright/test";
import { signUp } from "./pages";

test("the keys page shows the webhook signing secret masked, reveals and copies it, and rotates it after a confirmation", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, `webhook-secret-${Date.now()}@example.com`, "webhook-password");
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await page.goto("/keys");

  const section = page.getByTestId("webhook-secret");
  const value = section.getByTestId("webhook-secret-value");
  await expect(value).toHaveText(/^whsec_•+.{4}$/);
  await expect(value).toHaveAttribute("data-revealed", "false");

  await section.getByTestId("webhook-secret-reveal").click();
  await expect(value).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const first = (await value.textContent()) ?? "";
  // The page shows what the API signs with.
  expect(((await (await page.request.get("/api/account/webhook-secret")).json()) as { secret: string }).secret).toBe(first);

  await section.getByTestId("webhook-secret-copy").click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first);

  // Rotation asks first; cancelling keeps the secret.
  await section.getByTestId("webhook-secret-rotate").click();
  const dialog = page.getByTestId("webhook-rotate-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: /Cancel|取消/ }).click();
  await expect(value).toHaveText(first);

  await section.getByTestId("webhook-secret-rotate").click();
  await dialog.getByTestId("webhook-rotate-confirm").click();
  await expect(section.getByTestId("webhook-secret-rotated")).toBeVisible();
  await expect(value).not.toHaveText(first);
  await expect(value).toHaveText(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const rotated = (await value.textContent()) ?? "";

  await page.reload();
  await expect(value).toHaveText(new RegExp(`^whsec_•+${rotated.slice(-4).replace(/[+/]/g, "\\$&")}$`));
});
