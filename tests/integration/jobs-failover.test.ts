/**
 * Two instances on PostgreSQL sharing one job queue; the one running a job is killed (SIGKILL) mid-job. The other
 * claims it once the lease lapses and resumes after the last recorded page: the job finishes once, no page is
 * recorded twice, and it is billed once (one usage event, its units and compute those of the recorded pages). The
 * instances have separate data folders, so the survivor reads the input from the database.
 */
import { PDFDocument, StandardFonts } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearer, createKey, form, newUser, waitFor } from "../support/api";
import { request, signIn } from "../support/http";
import { childPids, DirectDb } from "../support/infra";
import { freshDatabase, startPair, type RunningServer } from "../support/server";

const PG = process.env.PARETO_TEST_DATABASE_URL;
const ADMIN = { email: "failover-admin@example.com", password: "failover-admin-password" };
const PAGES = 8;

interface Job {
  id: string;
  status: string;
  progress: { done: number; total: number | null };
  usage: { units: number; compute_ms: number };
  result: { pages: { page: number; lines: { text: string }[] }[] } | null;
}

let servers: RunningServer[] = [];
let fresh: Awaited<ReturnType<typeof freshDatabase>>;

async function pdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= PAGES; i++) {
    const page = doc.addPage([595, 842]);
    for (let l = 0; l < 6; l++) page.drawText(`PAGE ${i} LINE ${l + 1}`, { x: 60, y: 760 - l * 110, size: 36, font });
  }
  return Buffer.from(await doc.save());
}

describe.skipIf(!PG)("jobs across two instances on PostgreSQL", () => {
  beforeAll(async () => {
    fresh = await freshDatabase();
    servers = await startPair({ DATABASE_URL: fresh.url, PARETO_ADMIN_EMAIL: ADMIN.email, PARETO_ADMIN_PASSWORD: ADMIN.password, PARETO_JOB_WORKERS: "1" });
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop().catch(() => undefined)));
    await fresh?.drop();
  });

  it("a job whose instance is killed mid-job is resumed by the other: finished once, no page twice, billed once", async () => {
    const [a] = servers;
    const s = await signIn(a.url, ADMIN.email, ADMIN.password);
    const user = await newUser(a.url, "failover");
    expect((await request(a.url, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: s.jar, json: { plan: "Pro" } })).status).toBe(200);
    const { key } = await createKey(a.url, user);
    const res = await request(a.url, "/api/v1/jobs", { method: "POST", headers: bearer(key), body: form("file", await pdf(), "eight.pdf") });
    expect(res.status, await res.clone().text()).toBe(202);
    const { id } = (await res.json()) as Job;
    const get = async (srv: RunningServer) => (await (await request(srv.url, `/api/v1/jobs/${id}`, { headers: bearer(key) })).json()) as Job;

    // Kill whichever instance runs it, once it has recorded a page and before it is done.
    await waitFor(() => get(a), (j) => j.progress?.done >= 1, 180_000, 500);
    const claimed = (srv: RunningServer) => srv.logs().split("\n").some((l) => l.includes("job claimed") && l.includes(id));
    const victim = servers.find(claimed)!;
    expect(victim).toBeDefined();
    const survivor = servers.find((srv) => srv !== victim)!;
    const before = await get(survivor);
    expect(before.status).toBe("running");
    expect(before.progress.done).toBeLessThan(PAGES);
    // The Next.js process itself (start.mjs is its parent), then the parent: no graceful anything.
    const next = childPids(victim.proc.pid!);
    expect(next.length).toBe(1);
    process.kill(next[0], "SIGKILL");
    process.kill(victim.proc.pid!, "SIGKILL");

    const done = await waitFor(() => get(survivor), (j) => j.status !== "running" && j.status !== "queued", 300_000, 1000);
    expect(done.status, JSON.stringify(done).slice(0, 500)).toBe("succeeded");
    expect(done.progress).toMatchObject({ done: PAGES, total: PAGES });
    expect(done.result!.pages.map((p) => p.page)).toEqual(Array.from({ length: PAGES }, (_, i) => i + 1));
    done.result!.pages.forEach((p, i) => expect(p.lines.map((l) => l.text).join(" ").replace(/\s+/g, "")).toContain(`PAGE${i + 1}`));
    expect(claimed(survivor)).toBe(true);

    const db = new DirectDb(fresh.url);
    try {
      const units = await db.query<{ index: number; attempt: number; computeMs: number }>(`SELECT "index", attempt, "computeMs" FROM "JobUnit" WHERE "jobId" = $1 ORDER BY "index"`, [id]);
      // Each page recorded exactly once; the first attempt's pages kept, the rest recorded by the second.
      expect(units.map((u) => Number(u.index))).toEqual(Array.from({ length: PAGES }, (_, i) => i));
      const firstAttempt = units.filter((u) => Number(u.attempt) === 1).length;
      expect(firstAttempt).toBeGreaterThanOrEqual(1);
      expect(units.filter((u) => Number(u.attempt) === 2).length).toBe(PAGES - firstAttempt);
      const events = await waitFor(() => db.query<{ units: number; computeMs: number }>(`SELECT units, "computeMs" FROM "UsageEvent" WHERE "requestId" = $1`, [id]), (r) => r.length > 0, 30_000);
      expect(events).toHaveLength(1);
      expect(Number(events[0].units)).toBe(PAGES);
      const billed = units.reduce((sum, u) => sum + Number(u.computeMs), 0);
      expect(Number(events[0].computeMs)).toBeCloseTo(billed, 0);
      const job = await db.query<{ attempt: number; status: string }>(`SELECT attempt, status FROM "Job" WHERE id = $1`, [id]);
      expect(job[0]).toMatchObject({ status: "succeeded" });
      expect(Number(job[0].attempt)).toBe(2);
    } finally {
      await db.close();
    }
  }, 600_000);
});
