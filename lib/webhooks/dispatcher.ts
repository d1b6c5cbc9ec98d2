import "server-only";
import { claimDelivery, dueDeliveryIds, finishAttempt, releaseDelivery, type AttemptLog, type AttemptOutcome, type DeliveryRow } from "@/lib/db/webhooks";
import { log } from "@/lib/log";
import { isDomainError } from "@/lib/models/errors";
import { attemptLogOf } from "./deliveries";
import { webhookSecretFor } from "./secret";
import { sendAttempt, type AttemptResult } from "./send";
import { signedHeaders } from "./sign";
import { RefusedTarget, resolveTarget } from "./target";
import { nextAttemptAt, timing } from "./timing";
import { onWake } from "./wake";

/** Attempts one dispatcher runs at once: a slow receiver (up to the attempt timeout) does not hold up the rest. */
const MAX_IN_FLIGHT = 16;

/** An attempt's result, or a reason to give up at once (refused target, the account gone). */
type Outcome = AttemptResult | { ok: false; final: string };

async function attempt(row: DeliveryRow, at: Date, signal: AbortSignal): Promise<Outcome> {
  const body = JSON.stringify(row.payload);
  try {
    // Re-checked at every attempt, after DNS: what was public at submission may not be now.
    const target = await resolveTarget(row.url);
    const secret = await webhookSecretFor(row.userId);
    return await sendAttempt(target, signedHeaders(secret, row.id, at, body), body, { timeoutMs: timing().attemptTimeoutMs, signal });
  } catch (e) {
    if (e instanceof RefusedTarget) return { ok: false, final: `refused: ${e.message}` };
    if (isDomainError(e) && e.code === "not_found") return { ok: false, final: "the account no longer exists" };
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function outcomeOf(row: DeliveryRow, r: Outcome, at: Date, durationMs: number): AttemptOutcome {
  const now = new Date();
  const entry: AttemptLog = { at: at.toISOString(), durationMs };
  if ("status" in r && r.status !== undefined) entry.status = r.status;
  if (!r.ok) entry.error = "final" in r ? r.final : (r.error ?? `HTTP ${r.status}`);
  const attempts = row.attempts + 1;
  const logged = [...attemptLogOf(row), entry];
  if (r.ok) return { status: "delivered", attempts, log: logged, nextAttemptAt: null, deliveredAt: now };
  const next = "final" in r ? null : nextAttemptAt(row.createdAt, attempts, now);
  return { status: next ? "pending" : "failed", attempts, log: logged, nextAttemptAt: next, deliveredAt: null };
}

/**
 * The delivery loop of one instance: takes due deliveries from the database (the queue), sends each once per claim
 * and records the outcome. Several instances may run it against one database: a row is claimed by one conditional
 * UPDATE, so each attempt is sent by one of them. Polls every `pollMs`; an enqueue in this process wakes it at once.
 */
export function startWebhookDispatcher(o: { instanceId: string }): { stop(): Promise<void> } {
  let stopped = false;
  let woken = false;
  let wakeSleeper: (() => void) | null = null;
  const inFlight = new Map<string, { abort: AbortController; done: Promise<void> }>();

  const wake = () => {
    woken = true;
    wakeSleeper?.();
  };
  const unsubscribe = onWake(wake);

  async function run(row: DeliveryRow, abort: AbortController): Promise<void> {
    const at = new Date();
    const started = performance.now();
    const r = await attempt(row, at, abort.signal);
    if (abort.signal.aborted) {
      // Stopping mid-attempt: give the row back unrecorded; another instance (or the next start) sends it.
      await releaseDelivery(row.id, o.instanceId);
      return;
    }
    const out = outcomeOf(row, r, at, Math.round(performance.now() - started));
    const kept = await finishAttempt(row.id, o.instanceId, out);
    if (!kept) log("warn", "webhook attempt outcome dropped: the lease was lost", { deliveryId: row.id, instanceId: o.instanceId });
    log(out.status === "failed" ? "warn" : "info", `webhook ${out.status === "pending" ? "attempt failed, will retry" : out.status}`, {
      deliveryId: row.id,
      jobId: row.jobId,
      event: row.event,
      attempt: out.attempts,
      status: out.log.at(-1)?.status,
      error: out.log.at(-1)?.error,
    });
  }

  function start(row: DeliveryRow) {
    const abort = new AbortController();
    const done = run(row, abort)
      .catch((e: unknown) => log("error", "webhook attempt failed to record", { deliveryId: row.id, error: String(e) }))
      .finally(() => {
        inFlight.delete(row.id);
        wake();
      });
    inFlight.set(row.id, { abort, done });
  }

  /** Claims what is due, up to the free slots; true when it claimed something (there may be more). */
  async function tick(): Promise<boolean> {
    const free = MAX_IN_FLIGHT - inFlight.size;
    if (free <= 0) return false;
    const now = new Date();
    let claimed = 0;
    for (const id of await dueDeliveryIds(now, free)) {
      if (stopped || inFlight.has(id)) continue;
      const row = await claimDelivery(id, o.instanceId, now, new Date(now.getTime() + timing().leaseMs));
      if (row) {
        claimed += 1;
        start(row);
      }
    }
    return claimed > 0;
  }

  const loop = (async () => {
    while (!stopped) {
      woken = false;
      let more = false;
      try {
        more = await tick();
      } catch (e) {
        log("warn", "webhook dispatcher could not poll", { instanceId: o.instanceId, error: String(e) });
      }
      if (stopped || more || woken) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timing().pollMs);
        wakeSleeper = () => {
          clearTimeout(t);
          resolve();
        };
      });
      wakeSleeper = null;
    }
  })();

  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        unsubscribe();
        wakeSleeper?.();
        await loop;
        const pending = [...inFlight.values()];
        for (const p of pending) p.abort.abort();
        await Promise.all(pending.map((p) => p.done));
      })();
      return stopping;
    },
  };
}
