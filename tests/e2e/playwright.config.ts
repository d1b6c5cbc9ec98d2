import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

const root = path.resolve(__dirname, "..", "..");
// A port of our own (several suites may run at once on one machine); set in the environment so Playwright's
// worker processes, which load this file again, agree with the main process.
process.env.PARETO_E2E_PORT ??= String(3100 + (process.pid % 800));
const port = Number(process.env.PARETO_E2E_PORT);
const baseURL = `http://127.0.0.1:${port}`;
// A fresh installation per run (SQLite), or the CI PostgreSQL database when PARETO_TEST_DATABASE_URL is set.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-e2e-"));

export const E2E_ADMIN = { email: "e2e-admin@example.com", password: "e2e-admin-password" };

export default defineConfig({
  testDir: __dirname,
  outputDir: path.join(root, "test-results", "e2e"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download is not possible offline.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    command: `node ${path.join(root, "scripts", "start.mjs")} --no-build`,
    url: `${baseURL}/api/ready`,
    timeout: 90_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      NEXTAUTH_URL: baseURL,
      NEXT_TELEMETRY_DISABLED: "1",
      // No first-start benchmark run competing with the tests for the cores (a test that wants one sets "1").
      PARETO_AUTO_BENCHMARK: "0",
      PARETO_DATA_DIR: dataDir,
      DATABASE_URL: process.env.PARETO_TEST_DATABASE_URL ?? `file:${path.join(dataDir, "pareto.db")}`,
      PARETO_ADMIN_EMAIL: E2E_ADMIN.email,
      PARETO_ADMIN_PASSWORD: E2E_ADMIN.password,
      // Every journey signs up from 127.0.0.1: the per-address sign-up limit is tested in tests/integration/signup-modes.
      PARETO_SIGNUP_RATE_LIMIT: "0",
    },
  },
});
