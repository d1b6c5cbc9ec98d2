/**
 * Quota lease arithmetic (lib/metering/lease-ledger.ts): block sizing from the counter's headroom, and the local
 * accounting of one lease between write-backs — checked against a model of the database counter that applies each
 * lease operation with the same guard the SQL does (used + reserved + leased + block ≤ limit).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LEASE_SIZING, leaseBlock, LocalLease, type Amount, type CounterView, type LeaseHold, type LeaseSync } from "@/lib/metering/lease-ledger";

const view = (o: Partial<CounterView> = {}): CounterView => ({ usedRequests: 0, reservedRequests: 0, leasedRequests: 0, usedComputeMs: 0, reservedComputeMs: 0, leasedComputeMs: 0, ...o });
const lim = (requests: number, computeMs = 1e12): Amount => ({ requests, computeMs });

describe("leaseBlock()", () => {
  it("takes a fraction of what is free, capped", () => {
    expect(leaseBlock(lim(600), view(), 5)).toEqual({ requests: 75, computeMs: 375 });
    expect(leaseBlock(lim(10_000_000), view(), 5)).toEqual({ requests: LEASE_SIZING.maxRequests, computeMs: 5_000 });
    // Other instances' leases and requests in flight are not free.
    expect(leaseBlock(lim(600), view({ usedRequests: 100, reservedRequests: 20, leasedRequests: 80 }), 5)?.requests).toBe(50);
  });

  it("does not lease small request quotas or near the limit: those reserve exactly in the database", () => {
    for (const q of [4, 50, 120, 255]) expect(leaseBlock(lim(q), view(), 5), `quota ${q}`).toBeNull();
    expect(leaseBlock(lim(600), view({ usedRequests: 400 }), 5)).toBeNull();
  });

  it("sizes compute from the request's estimate, and requests from the compute it could take", () => {
    // 2,000 ms free at ~40 ms a request: 250 ms would be 6 requests' worth, under the minimum.
    expect(leaseBlock(lim(2_000_000_000, 2_000), view(), 40)).toBeNull();
    // Compute binds: requests follow what the compute block covers.
    expect(leaseBlock(lim(2_000_000_000, 80_000), view(), 20)).toEqual({ requests: 500, computeMs: 10_000 });
  });

  it("never takes more than its fraction of the free quota, on either limit", () => {
    const arb = fc.record({
      maxR: fc.integer({ min: 0, max: 5_000_000 }),
      maxC: fc.integer({ min: 0, max: 50_000_000 }),
      usedR: fc.integer({ min: 0, max: 5_000_000 }),
      leasedR: fc.integer({ min: 0, max: 5_000 }),
      usedC: fc.double({ min: 0, max: 50_000_000, noNaN: true }),
      leasedC: fc.integer({ min: 0, max: 500_000 }),
      e: fc.double({ min: 0.01, max: 100_000, noNaN: true }),
    });
    fc.assert(
      fc.property(arb, (a) => {
        const c = view({ usedRequests: a.usedR, leasedRequests: a.leasedR, usedComputeMs: a.usedC, leasedComputeMs: a.leasedC });
        const b = leaseBlock(lim(a.maxR, a.maxC), c, a.e);
        if (!b) return;
        const freeR = a.maxR - a.usedR - a.leasedR;
        const freeC = a.maxC - a.usedC - a.leasedC;
        expect(b.requests).toBeGreaterThanOrEqual(1);
        expect(b.requests).toBeLessThanOrEqual(freeR * LEASE_SIZING.fraction);
        expect(b.computeMs).toBeLessThanOrEqual(freeC * LEASE_SIZING.fraction);
        expect(Number.isInteger(b.requests) && Number.isInteger(b.computeMs)).toBe(true);
      }),
      { numRuns: 5_000 },
    );
  });
});

/** The database counter and lease rows, applying each operation as lib/db/quota-leases.ts's SQL does. */
class CounterModel {
  used = { requests: 0, computeMs: 0 };
  leased = { requests: 0, computeMs: 0 };
  rows = new Map<string, Amount>();
  constructor(readonly limit: Amount) {}
  view(): CounterView {
    return { usedRequests: this.used.requests, reservedRequests: 0, leasedRequests: this.leased.requests, usedComputeMs: this.used.computeMs, reservedComputeMs: 0, leasedComputeMs: this.leased.computeMs };
  }
  take(id: string, block: Amount, create: boolean): "ok" | "full" | "gone" {
    if (this.used.requests + this.leased.requests + block.requests > this.limit.requests || this.used.computeMs + this.leased.computeMs + block.computeMs > this.limit.computeMs) return "full";
    const row = this.rows.get(id);
    if (!create && !row) return "gone";
    this.rows.set(id, { requests: (row?.requests ?? 0) + block.requests, computeMs: (row?.computeMs ?? 0) + block.computeMs });
    this.leased.requests += block.requests;
    this.leased.computeMs += block.computeMs;
    return "ok";
  }
  sync(id: string, s: LeaseSync): boolean {
    const row = this.rows.get(id);
    let released: Amount = { requests: 0, computeMs: 0 };
    if (row && s.close) {
      released = row;
      this.rows.delete(id);
    } else if (row) {
      released = s.release;
      row.requests -= s.release.requests;
      row.computeMs -= s.release.computeMs;
    }
    this.used.requests += s.used.requests;
    this.used.computeMs += s.used.computeMs;
    this.leased.requests -= released.requests;
    this.leased.computeMs -= released.computeMs;
    return row !== undefined;
  }
  reclaim(id: string): void {
    const row = this.rows.get(id);
    if (!row) return;
    this.rows.delete(id);
    this.leased.requests -= row.requests;
    this.leased.computeMs -= row.computeMs;
  }
}

const ops = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ t: fc.constant("request" as const), inst: fc.integer({ min: 0, max: 2 }), e: fc.integer({ min: 1, max: 40 }) }) },
    { weight: 5, arbitrary: fc.record({ t: fc.constant("finish" as const), pick: fc.nat(), spent: fc.option(fc.integer({ min: 0, max: 40 }), { freq: 4 }) }) },
    // Mostly plain write-backs; now and then a return (idle, shutdown) — leases must live long enough to run out.
    { weight: 3, arbitrary: fc.record({ t: fc.constant("startSync" as const), inst: fc.integer({ min: 0, max: 2 }), close: fc.integer({ min: 0, max: 9 }).map((n) => n === 0) }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant("endSync" as const), pick: fc.nat() }) },
    // inst ≥ 3 is no instance: a kill in one op of ~100.
    { weight: 1, arbitrary: fc.record({ t: fc.constant("kill" as const), inst: fc.integer({ min: 0, max: 14 }) }) },
  ),
  { minLength: 300, maxLength: 800, size: "max" },
);

describe("LocalLease against the counter", () => {
  it("three instances, random interleavings: used + leased never passes the limit, and every finished request is billed once", () => {
    fc.assert(
      // Small quotas, so the leases run the counter down to where no block fits any more.
      fc.property(fc.integer({ min: 256, max: 800 }), ops, (limitR, seq) => {
        // Each request spends at most its estimate here, so compute cannot pass its limit either.
        const db = new CounterModel({ requests: limitR, computeMs: limitR * 20 });
        const leases: (LocalLease | null)[] = [null, null, null];
        const every = new Set<LocalLease>();
        /** Per lease: requests taken from the counter for it, and requests admitted against it (not given back). */
        const books = new Map<LocalLease, { taken: number; admitted: number }>();
        const book = (l: LocalLease) => books.get(l) ?? books.set(l, { taken: 0, admitted: 0 }).get(l)!;
        const inflight: { inst: number; h: LeaseHold }[] = [];
        const syncs: { lease: LocalLease; s: LeaseSync }[] = [];
        let served = 0;
        let billedR = 0;
        let lost = 0;
        let n = 0;
        const check = () => {
          expect(db.used.requests + db.leased.requests).toBeLessThanOrEqual(limitR);
          expect(db.used.computeMs + db.leased.computeMs).toBeLessThanOrEqual(limitR * 20);
          for (const l of leases) if (l && !l.gone) expect(l.free().requests).toBeGreaterThanOrEqual(0);
          // Requests admitted (finished and billed, or running) never pass the quota — but for what a killed
          // instance had served and not written back, which goes back to the counter with its lease.
          expect(served - lost + inflight.length).toBeLessThanOrEqual(limitR);
          // No lease lets in more than was taken for it.
          for (const b of books.values()) expect(b.admitted).toBeLessThanOrEqual(b.taken);
        };
        for (const op of seq) {
          if (op.t === "request") {
            const need = { requests: 1, computeMs: op.e };
            let l = leases[op.inst];
            let h = l?.hold(need, 0) ?? null;
            if (!h) {
              const block = leaseBlock(db.limit, db.view(), op.e);
              if (block) {
                const grow = l && !l.closed ? l : null;
                const lease = grow ?? new LocalLease(`l${n++}`, "user:u", "2026-11", 0, 0, db.view());
                if (db.take(lease.id, block, !grow) === "ok") {
                  lease.grow(block, db.view());
                  book(lease).taken += block.requests;
                  every.add(lease);
                  leases[op.inst] = l = lease;
                  h = lease.hold(need, 0);
                }
              }
            }
            if (h) {
              inflight.push({ inst: op.inst, h });
              book(h.lease).admitted++;
            }
          } else if (op.t === "finish" && inflight.length) {
            const [{ h }] = inflight.splice(op.pick % inflight.length, 1);
            if (op.spent === null) {
              h.lease.release(h);
              book(h.lease).admitted--;
            }
            else {
              h.lease.settle(h, Math.min(op.spent, h.need.computeMs));
              served++;
            }
          } else if (op.t === "startSync") {
            const l = leases[op.inst];
            if (!l || syncs.some((x) => x.lease === l)) continue;
            if (op.close) {
              l.closed = true;
              leases[op.inst] = null;
            }
            const s = l.pending();
            if (s) syncs.push({ lease: l, s: { ...s, used: { ...s.used }, release: { ...s.release }, consumed: { ...s.consumed } } });
          } else if (op.t === "endSync" && syncs.length) {
            const [{ lease, s }] = syncs.splice(op.pick % syncs.length, 1);
            const held = db.sync(lease.id, s);
            billedR += s.used.requests;
            lease.synced(s, held, db.view());
          } else if (op.t === "kill") {
            // The sweeper reclaims a dead instance's lease; what it served and had not written back is lost.
            const l = leases[op.inst % 15];
            if (!l) continue;
            for (let i = inflight.length - 1; i >= 0; i--) if (inflight[i].h.lease === l) inflight.splice(i, 1);
            for (let i = syncs.length - 1; i >= 0; i--) if (syncs[i].lease === l) syncs.splice(i, 1);
            lost += l.used.requests;
            db.reclaim(l.id);
            every.delete(l);
            leases[op.inst] = null;
          }
          check();
        }
        // Drain: every request finishes, every write-back lands, every lease is returned.
        for (const { h } of inflight.splice(0)) {
          h.lease.settle(h, h.need.computeMs);
          served++;
        }
        for (const { lease, s } of syncs.splice(0)) {
          billedR += s.used.requests;
          lease.synced(s, db.sync(lease.id, s), db.view());
        }
        // Leases closed earlier may still hold use of requests that finished after their close.
        for (const l of every) {
          l.closed = true;
          for (let s = l.pending(); s; s = l.pending()) {
            billedR += s.used.requests;
            l.synced(s, db.sync(l.id, s), db.view());
          }
        }
        check();
        expect(db.leased.requests).toBe(0);
        expect(db.rows.size).toBe(0);
        expect(db.used.requests).toBe(billedR);
        expect(billedR + lost).toBe(served);
      }),
      { numRuns: 50 },
    );
  });

  it("requests that finish while a write-back is on its way are written by the next one", () => {
    const l = new LocalLease("l", "user:u", "2026-11", 0, 0, view());
    l.grow({ requests: 10, computeMs: 100 }, view({ leasedRequests: 10, leasedComputeMs: 100 }));
    const a = l.hold({ requests: 1, computeMs: 10 }, 0)!;
    const b = l.hold({ requests: 1, computeMs: 10 }, 0)!;
    l.settle(a, 7);
    const s = l.pending()!;
    expect(s).toMatchObject({ used: { requests: 1, computeMs: 7 }, release: { requests: 1, computeMs: 10 }, close: false });
    l.settle(b, 9); // while `s` is being written
    l.synced(s, true, view());
    expect(l.held).toEqual({ requests: 9, computeMs: 90 });
    expect(l.pending()).toMatchObject({ used: { requests: 1, computeMs: 9 }, release: { requests: 1, computeMs: 10 } });
    expect(l.free()).toEqual({ requests: 8, computeMs: 80 });
  });

  it("closing returns all but what is in flight; the row goes once the last request finished", () => {
    const l = new LocalLease("l", "user:u", "2026-11", 0, 0, view());
    l.grow({ requests: 10, computeMs: 100 }, view());
    const a = l.hold({ requests: 1, computeMs: 10 }, 0)!;
    l.closed = true;
    expect(l.hold({ requests: 1, computeMs: 1 }, 0)).toBeNull();
    const s1 = l.pending()!;
    expect(s1).toMatchObject({ release: { requests: 9, computeMs: 90 }, close: false });
    l.synced(s1, true, view());
    l.settle(a, 4);
    const s2 = l.pending()!;
    expect(s2).toMatchObject({ used: { requests: 1, computeMs: 4 }, release: { requests: 1, computeMs: 10 }, close: true });
    l.synced(s2, true, view());
    expect(l.finished).toBe(true);
    expect(l.pending()).toBeNull();
  });

  it("a lease the sweeper reclaimed takes no more requests, and bills what it served without releasing twice", () => {
    const l = new LocalLease("l", "user:u", "2026-11", 0, 0, view());
    l.grow({ requests: 10, computeMs: 100 }, view());
    const a = l.hold({ requests: 1, computeMs: 10 }, 0)!;
    l.settle(a, 5);
    const s = l.pending()!;
    l.synced(s, false, view());
    expect(l.gone).toBe(true);
    expect(l.hold({ requests: 1, computeMs: 1 }, 0)).toBeNull();
    expect(l.pending()).toBeNull();
    expect(l.finished).toBe(true);
  });
});
