import { expect, test, type Locator, type Page } from "@playwright/test";
import { matmulAddSoftmax } from "../support/onnx-builder";
import { E2E_ADMIN } from "./playwright.config";
import { inEnglish, signIn } from "./pages";

const tag = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** Drops a file on a drop zone the way a browser does: a `drop` event carrying a DataTransfer with the file. */
async function dropFile(page: Page, zone: Locator, name: string, bytes: Uint8Array) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, bytes }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: "application/octet-stream" }));
      return dt;
    },
    { name, bytes: Array.from(bytes) },
  );
  await zone.dispatchEvent("dragover", { dataTransfer });
  await zone.dispatchEvent("drop", { dataTransfer });
}

/** Remembers whether the upload progress bar was ever on screen (an upload on localhost can be over in a frame). */
async function watchProgress(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __sawProgress: boolean };
    w.__sawProgress = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="upload-progress"] progress')) w.__sawProgress = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  return () => page.evaluate(() => (window as unknown as { __sawProgress: boolean }).__sawProgress);
}

test("an admin brings a tensor model in the browser, sees its card and runs it in the playground", async ({ page }) => {
  const id = `e2e-dense-${tag()}`;
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await inEnglish(page);

  await page.goto("/admin/models");
  await page.getByTestId("bring-model-link").click();
  await expect(page.getByTestId("upload-form")).toBeVisible();
  await page.getByLabel(/^Model id/).fill(id);
  await page.getByLabel(/^Display name/).fill("E2E dense classifier");
  await page.getByLabel(/^Licence/).fill("MIT");
  await page.getByLabel(/^Description/).fill("MatMul + Add + Softmax written by the test.");
  // 256 × 64 weights: a 64 KB file, large enough for progress events.
  await dropFile(page, page.getByTestId("drop-file"), "dense.onnx", matmulAddSoftmax({ inputDim: 256, outputDim: 64, seed: 7 }));
  await expect(page.getByTestId("chosen-file")).toContainText("dense.onnx");

  const sawProgress = await watchProgress(page);
  await page.getByTestId("upload-submit").click();
  await expect(page).toHaveURL(new RegExp(`/admin/models/${id}$`), { timeout: 30_000 });
  expect(await sawProgress()).toBe(true);

  const card = page.getByTestId("admin-model-card");
  await expect(card).toHaveAttribute("data-model", id);
  await expect(page.getByTestId("card-license")).toHaveText("MIT");
  await expect(page.getByTestId("card-uploader")).toContainText(E2E_ADMIN.email);
  const version = page.getByTestId("admin-version");
  await expect(version).toHaveCount(1);
  await expect(version.getByTestId("version-traffic")).toContainText("100 %");
  await expect(version.getByTestId("file-sha256")).toHaveText(/^[0-9a-f]{64}$/);
  await expect(version.getByTestId("signature-in")).toContainText("X");
  await expect(version.getByTestId("signature-out")).toContainText("Y");
  // The check passed; the version is measured on arrival (latency, memory: no eval file) and the card follows it.
  await expect(version).toHaveAttribute("data-status", "ready", { timeout: 90_000 });

  // The public catalog lists it beside the built-ins.
  await page.goto("/models");
  await expect(page.getByTestId(`model-card-${id}`)).toHaveAttribute("data-task", "tensor");

  await page.goto("/playground");
  await page.getByTestId("tab-tensor").click();
  await page.getByTestId("tensor-model").selectOption(id);
  const field = page.getByTestId("tensor-input");
  await expect(field).toHaveCount(1);
  await expect(field).toContainText("X · FP32");
  await page.getByTestId("tensor-random").click();
  await expect(page.getByTestId("tensor-shape")).toHaveValue("1, 256");
  await page.getByTestId("tensor-run").click();
  const output = page.getByTestId("tensor-output");
  await expect(output).toHaveAttribute("data-name", "Y", { timeout: 30_000 });
  await expect(output).toContainText("[1, 64]");
  await expect(page.getByTestId("tensor-argmax")).toContainText("argmax");
  await expect(page.getByTestId("tensor-answered-by")).toHaveText("1");
  await expect(page.getByTestId("run-snippets").getByTestId("snippet-curl")).toContainText(`/v2/models/${id}/infer`);

  // Deleting it takes a confirmation and leads back to the list.
  await page.goto(`/admin/models/${id}`);
  await page.getByTestId("model-delete").click();
  await page.getByTestId("confirm-delete-yes").click();
  await expect(page).toHaveURL(/\/admin\/models$/);
});

test("bring a model: errors appear under the field they concern", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await inEnglish(page);
  await page.goto("/admin/models/new");

  // Checked in the browser before anything is sent.
  await page.getByLabel(/^Model id/).fill("Not An Id");
  await page.getByTestId("upload-submit").click();
  await expect(page.getByTestId("field-id").getByTestId("error-id")).toBeVisible();
  await expect(page.getByTestId("field-file").getByTestId("error-file")).toBeVisible();
  await expect(page.getByLabel(/^Model id/)).toHaveAttribute("aria-invalid", "true");

  // Refused by the server: a text file is not an ONNX model (invalid_model, param "file").
  await page.getByLabel(/^Model id/).fill(`e2e-bad-${tag()}`);
  await page.getByTestId("file-file").setInputFiles({ name: "notes.onnx", mimeType: "application/octet-stream", buffer: Buffer.from("this is not an ONNX model\n") });
  await expect(page.getByTestId("error-file")).toHaveCount(0);
  await page.getByTestId("upload-submit").click();
  const error = page.getByTestId("field-file").getByTestId("error-file");
  await expect(error).toBeVisible({ timeout: 30_000 });
  await expect(error).not.toBeEmpty();
  await expect(page.getByTestId("field-id").getByTestId("error-id")).toHaveCount(0);
  await expect(page).toHaveURL(/\/admin\/models\/new$/);
});
