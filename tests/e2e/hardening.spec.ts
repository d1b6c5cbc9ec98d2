/**
 * Issue 11 in the browser: item 10 (the sign-in form never sends anyone off-site, however the callbackUrl is
 * disguised) and item 14 (the nonce-based Content-Security-Policy blocks nothing of ours: every main page
 * hydrates with no CSP violation reported).
 */
import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./playwright.config";
import { signIn } from "./pages";

// Any request to the attacker's host is answered here (no network): landing on it shows this text.
async function fakeEvilSite(page: Page) {
  await page.context().route((url) => url.hostname.endsWith("evil.example"), (r) => r.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil site</h1>" }));
}

for (const callbackUrl of ["/%09/evil.example", "/%0A/evil.example", "//evil.example", "/%5Cevil.example", "/%2F%2Fevil.example", "https%3A%2F%2Fevil.example%2F"]) {
  test(`sign-in with callbackUrl=${callbackUrl} lands on this site`, async ({ page, baseURL }) => {
    await fakeEvilSite(page);
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password, `/signin?callbackUrl=${callbackUrl}`);
    await expect(page.getByTestId("user-menu")).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    await expect(page.getByText("evil site")).toHaveCount(0);
  });
}

test("sign-in with a same-site callbackUrl returns there", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password, "/signin?callbackUrl=%2Fkeys");
  await expect(page).toHaveURL(/\/keys$/);
});

/** Collects CSP violations (the DOM event and the console report) and page errors while pages load. */
async function watchCsp(page: Page): Promise<string[]> {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy|CSP violation|Refused to (execute|load|apply)/i.test(m.text())) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

async function expectHydrated(page: Page, path: string) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  // Next sets window.next when its client runtime has started: blocked scripts would leave it undefined.
  await expect.poll(() => page.evaluate(() => typeof (window as unknown as { next?: { version?: string } }).next?.version), { message: path }).toBe("string");
}

test("no CSP violation on the main pages, signed out and as an admin", async ({ page }) => {
  const problems = await watchCsp(page);
  for (const p of ["/", "/models", "/signin", "/signup", "/docs"]) await expectHydrated(page, p);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await expect(page.getByTestId("user-menu")).toBeVisible();
  const admin = ["/", "/models", "/models/silero-vad-v5", "/models/ppocr-v4-det960", "/playground", "/keys", "/usage", "/selection", "/docs"];
  for (const p of [...admin, "/admin", "/admin/users", "/admin/models", "/admin/plans", "/admin/audit"]) await expectHydrated(page, p);
  // A client-side navigation and an interactive control still work.
  await page.getByTestId("nav-models").click();
  await expect(page).toHaveURL(/\/models$/);
  await page.getByTestId("locale-switch").selectOption("zh");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await page.getByTestId("locale-switch").selectOption("en");
  expect(problems).toEqual([]);
});
