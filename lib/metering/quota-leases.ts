import "server-only";
import crypto from "node:crypto";
import { env } from "@/lib/config/env";
import { counterFigures, syncLease, takeLeaseBlock } from "@/lib/db/quota-leases";
import type { QuotaCap } from "@/lib/db/quota";
import { log } from "@/lib/log";
import { instanceId, liveLeaseEpoch } from "./instance";
import { leaseBlock, LocalLease, type Amount, type LeaseHold } from "./lease-ledger";

/**
 * This instance's quota leases: blocks of subjects' monthly quota taken from the database (lib/db/quota-leases.ts),
 * so that a request's reservation and settlement are counted in memory (lib/metering/lease-ledger.ts) instead of
 * two database writes. Use goes back to the counter in batches every FLUSH_MS — and before any usage event that
 * records it is written (lib/metering/usage.ts), so the counter is never behind the events. A lease nobody used
 * for PARETO_QUOTA_LEASE_IDLE_MS is returned, as are all on a graceful stop; a killed instance's are reclaimed by
 * the sweeper once its instance lease lapses, and this instance stops using its leases before that can happen.
 */

/** The longest a finished request's use waits before it is on the counter. */
export const FLUSH_MS = 250;

type Key = string;
const keyOf = (subject: string, period: string): Key => `${subject}|${period}`;
const limitOf = (cap: QuotaCap): Amount => ({ requests: cap.monthlyRequests, computeMs: cap.monthlyComputeMs });
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
/** "user" or "key": metrics never carry ids. */
const kindOf = (subject: string) => subject.slice(0, subject.indexOf(":"));

class QuotaLeases {
  /** The lease new requests of a subject and period use. */
  private current = new Map<Key, LocalLease>();
  /** Closed or lost leases with requests in flight or use still to write. */
  private retiring = new Set<LocalLease>();
  /** One block taken at a time per subject: concurrent requests wait for it instead of taking one each. */
  private acquiring = new Map<Key, Promise<boolean>>();
  /** Until when a subject's requests reserve in the database (too little free to lease). */
  private exactUntil = new Map<Key, number>();
  /** One write-back at a time per lease. */
  private writes = new Map<LocalLease, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** For /metrics: subject reservations by where they were counted, blocks taken, write-backs, by subject kind. */
  readonly stats = { holds: new Map<string, number>(), blocks: new Map<string, number>(), writes: 0, writeFailures: 0 };

  /** Counts one subject reservation of a request: `via` "lease" (in memory) or "database". */
  count(via: "lease" | "database", subject: string): void {
    const k = `${via}|${kindOf(subject)}`;
    this.stats.holds.set(k, (this.stats.holds.get(k) ?? 0) + 1);
  }

  /** Takes `need` from this instance's lease on the subject, or null (none, not enough free, or not safe to use). */
  hold(cap: QuotaCap, period: string, need: Amount): LeaseHold | null {
    const lease = this.current.get(keyOf(cap.subject, period));
    if (!lease) return null;
    if (lease.epoch !== liveLeaseEpoch()) {
      this.retire(lease);
      return null;
    }
    return lease.hold(need, Date.now());
  }

  /**
   * Takes a block of the subject's quota (or grows this instance's lease by one) sized for requests of `need`.
   * False when none should be taken — too little is free, leases are off, the instance lease is not safely live —
   * and the request is to reserve in the database; this instance's own lease on the subject is returned first then,
   * so that reservation can use what it held.
   */
  acquire(cap: QuotaCap, period: string, need: Amount): Promise<boolean> {
    const key = keyOf(cap.subject, period);
    if (this.stopped || !env.quotaLeases() || liveLeaseEpoch() === null) return Promise.resolve(false);
    if ((this.exactUntil.get(key) ?? 0) > Date.now()) return Promise.resolve(false);
    let p = this.acquiring.get(key);
    if (!p) {
      p = this.takeBlock(cap, period, need)
        .catch((e: unknown) => {
          log("warn", "quota lease not taken; reserving in the database", { subject: cap.subject, error: message(e) });
          return false;
        })
        .finally(() => this.acquiring.delete(key));
      this.acquiring.set(key, p);
    }
    return p;
  }

  private async takeBlock(cap: QuotaCap, period: string, need: Amount): Promise<boolean> {
    const key = keyOf(cap.subject, period);
    for (let attempt = 0; attempt < 3; attempt++) {
      const epoch = liveLeaseEpoch();
      if (epoch === null) return false;
      const view = await counterFigures(cap, period);
      const block = leaseBlock(limitOf(cap), view, need.computeMs);
      if (!block) {
        this.exactUntil.set(key, Date.now() + env.quotaLeaseIdleMs());
        const mine = this.current.get(key);
        if (mine) await this.returnLease(mine);
        return false;
      }
      const existing = this.current.get(key);
      const grow = existing && !existing.closed && existing.epoch === epoch ? existing : null;
      const lease = grow ?? new LocalLease(crypto.randomUUID(), cap.subject, period, epoch, Date.now(), view);
      const r = await takeLeaseBlock(cap, period, { id: lease.id, instanceId: instanceId(), create: !grow }, block);
      if (r.ok) {
        lease.grow(block, r.figures);
        this.stats.blocks.set(kindOf(cap.subject), (this.stats.blocks.get(kindOf(cap.subject)) ?? 0) + 1);
        if (!grow) {
          if (existing) this.retire(existing);
          this.current.set(key, lease);
        }
        this.startTimer();
        return true;
      }
      if (r.reason === "gone") {
        lease.lose();
        this.retire(lease);
      }
      // "full": another instance took quota between the read and the update; read again.
    }
    return false;
  }

  /** A finished request: `computeMs` spent (billed), or null when it spent nothing (its need goes back). */
  settle(h: LeaseHold, computeMs: number | null): void {
    if (computeMs === null) h.lease.release(h);
    else h.lease.settle(h, computeMs);
  }

  /** Stops `lease` taking requests; it is written back and deleted once what it has in flight finished. */
  private retire(lease: LocalLease): void {
    lease.closed = true;
    const key = keyOf(lease.subject, lease.period);
    if (this.current.get(key) === lease) this.current.delete(key);
    this.retiring.add(lease);
  }

  private async returnLease(lease: LocalLease): Promise<void> {
    this.retire(lease);
    await this.write(lease);
  }

  /** Writes back one lease's pending use (and, closed, returns it); failures are retried at the next flush. */
  private write(lease: LocalLease): Promise<void> {
    const prior = this.writes.get(lease) ?? Promise.resolve();
    const next = prior.then(async () => {
      const s = lease.pending();
      if (s) {
        try {
          const r = await syncLease({ id: lease.id, subject: lease.subject, period: lease.period, used: s.used, release: s.release, close: s.close });
          lease.synced(s, r.held, r.figures);
          this.stats.writes++;
          if (!r.held) log("warn", "quota lease was reclaimed while this instance held it; its use is billed, the lease dropped", { subject: lease.subject });
        } catch (e) {
          this.stats.writeFailures++;
          log("warn", "quota use not written back; retrying", { subject: lease.subject, error: message(e) });
        }
      }
      if (lease.finished) this.retiring.delete(lease);
    });
    this.writes.set(lease, next);
    void next.finally(() => {
      if (this.writes.get(lease) === next) this.writes.delete(lease);
    });
    return next;
  }

  /** Writes back every lease's pending use; what finished before the call is on the counter when it resolves. */
  async flush(): Promise<void> {
    await Promise.all([...this.current.values(), ...this.retiring].map((l) => this.write(l)));
  }

  /** Returns every lease (graceful stop): use written, the rest released, rows deleted once nothing is in flight. */
  async returnAll(): Promise<void> {
    this.stopped = true;
    for (const l of [...this.current.values()]) this.retire(l);
    await this.flush();
  }

  /** Every FLUSH_MS: returns idle leases and those no longer safe to use, then writes back. */
  private tick(): void {
    const now = Date.now();
    const epoch = liveLeaseEpoch();
    for (const l of [...this.current.values()]) {
      if (l.epoch !== epoch || now - l.lastUsedAt >= env.quotaLeaseIdleMs()) this.retire(l);
    }
    for (const [k, until] of this.exactUntil) if (until <= now) this.exactUntil.delete(k);
    void this.flush();
  }

  private startTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), FLUSH_MS);
    this.timer.unref();
  }

  /** What this instance holds, for metrics. */
  snapshot(): { leases: number; retiring: number } {
    return { leases: this.current.size, retiring: this.retiring.size };
  }
}

const g = globalThis as unknown as { __paretoQuotaLeases?: QuotaLeases };

export function quotaLeases(): QuotaLeases {
  g.__paretoQuotaLeases ??= new QuotaLeases();
  return g.__paretoQuotaLeases;
}

/** Puts every finished request's use on the counters (the usage writer calls it before writing events). */
export function flushQuotaUse(): Promise<void> {
  return g.__paretoQuotaLeases ? g.__paretoQuotaLeases.flush() : Promise.resolve();
}

/** Graceful stop: every lease written back and returned. */
export function returnQuotaLeases(): Promise<void> {
  return g.__paretoQuotaLeases ? g.__paretoQuotaLeases.returnAll() : Promise.resolve();
}
