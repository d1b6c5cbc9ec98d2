import type { TestProject } from "vitest/node";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer | undefined;

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
    dataDir: string;
    adminEmail: string;
    adminPassword: string;
    metricsToken: string;
  }
}

/** One real server (and database) for the integration run; files that need a pristine install start their own. */
export async function setup(project: TestProject) {
  // An admin from the environment exists before any test signs up, so sign-ups here are plain USERs
  // whatever order the files run in (the first-account-is-admin rule is tested on a pristine server).
  const admin = { email: "ops-admin@example.com", password: "ops-admin-password" };
  // Prometheus scrapes with a bearer token instead of a session (tests/integration/health-metrics.test.ts).
  const metricsToken = "test-metrics-token-0123456789";
  server = await startServer({
    PARETO_SIGNIN_MAX_FAILURES: "5",
    PARETO_ADMIN_EMAIL: admin.email,
    PARETO_ADMIN_PASSWORD: admin.password,
    PARETO_METRICS_TOKEN: metricsToken,
    // Every test file calls from 127.0.0.1, many with missing or bad keys on purpose: the per-address limit of
    // unauthenticated requests is tested on a dedicated server (tests/integration/unauthenticated.test.ts).
    PARETO_UNAUTHENTICATED_REQUESTS_PER_MINUTE: "100000",
    // Every file signs up from 127.0.0.1: the per-address sign-up limit is tested on its own server (signup-modes).
    PARETO_SIGNUP_RATE_LIMIT: "0",
  });
  project.provide("adminEmail", admin.email);
  project.provide("adminPassword", admin.password);
  project.provide("metricsToken", metricsToken);
  project.provide("baseUrl", server.url);
  project.provide("databaseUrl", server.env.DATABASE_URL ?? "");
  project.provide("dataDir", server.dataDir);
}

export async function teardown() {
  const logs = server?.logs() ?? "";
  const code = await server?.stop();
  if (code !== 0 && code !== null) console.error(`server exited with ${code}\n${logs}`);
}
