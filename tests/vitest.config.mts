import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");
// `server-only` throws outside React Server Components; under test, server modules are imported directly.
const alias = {
  "@": root,
  "server-only": path.join(root, "tests/support/empty-module.ts"),
};

export default defineConfig({
  root,
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/integration/global-setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One server and one database per run: files share them, so run them one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
