/**
 * The arithmetic of quota leases, without I/O (lib/metering/quota-leases.ts does the writes and the timers): how big
 * a block an instance takes from a counter, and what one lease holds locally between two write-backs.
 *
 * A lease of one subject's quota for one period holds `held` (requests and estimated compute ms, as its database row
 * says). A request takes its need (one request, its compute estimate) out of the free part; when it finishes, that
 * need is `consumed` and what it really spent is `used`; the next write-back adds `used` to the counter and takes
 * `consumed` off the lease. So between write-backs the database still counts everything a request took as leased:
 * nobody else can take it, and used + reserved + leased never passes the limit (compute: by at most what requests
 * spend beyond their estimates, as with reservations).
 */

export interface Amount {
  requests: number;
  computeMs: number;
}

export const zero = (): Amount => ({ requests: 0, computeMs: 0 });
const plus = (a: Amount, b: Amount): Amount => ({ requests: a.requests + b.requests, computeMs: a.computeMs + b.computeMs });
const minus = (a: Amount, b: Amount): Amount => ({ requests: a.requests - b.requests, computeMs: a.computeMs - b.computeMs });
const isZero = (a: Amount) => a.requests === 0 && a.computeMs === 0;

/** A counter's figures as far as a lease needs them. */
export interface CounterView {
  usedRequests: number;
  reservedRequests: number;
  leasedRequests: number;
  usedComputeMs: number;
  reservedComputeMs: number;
  leasedComputeMs: number;
}

/**
 * Lease sizing. A block is a fraction of what the counter has free (so N instances together leave some free for
 * each other and for exact reservations), at most MAX_REQUESTS requests, and in compute what that many requests of
 * the size at hand are estimated to take. Below MIN_REQUESTS requests' worth there is no lease: near the limit every
 * request reserves exactly in the database, as without leases — a request quota under MIN_REQUESTS ÷ FRACTION (256)
 * is never leased at all.
 */
export const LEASE_SIZING = { fraction: 1 / 8, minRequests: 32, maxRequests: 1_000 } as const;

/**
 * The block to lease for requests estimated at `estimateMs` each, given `limit` and the counter's figures; null when
 * too little is free for a lease to be worth it (or safe for exactness): then reserve in the database.
 */
export function leaseBlock(limit: Amount, c: CounterView, estimateMs: number): Amount | null {
  const freeRequests = limit.requests - c.usedRequests - c.reservedRequests - c.leasedRequests;
  const freeComputeMs = limit.computeMs - c.usedComputeMs - c.reservedComputeMs - c.leasedComputeMs;
  const e = Math.max(1, Math.ceil(estimateMs));
  let requests = Math.min(LEASE_SIZING.maxRequests, Math.floor(freeRequests * LEASE_SIZING.fraction));
  if (!(requests >= LEASE_SIZING.minRequests)) return null;
  const computeMs = Math.floor(Math.min(freeComputeMs * LEASE_SIZING.fraction, requests * e));
  if (!(computeMs >= LEASE_SIZING.minRequests * e)) return null;
  // Requests in proportion to the compute taken: a lease short of compute should not sit on requests it cannot use.
  requests = Math.min(requests, Math.floor(computeMs / e));
  return { requests, computeMs };
}

/** What one request took out of a lease. */
export interface LeaseHold {
  lease: LocalLease;
  need: Amount;
}

/** One write-back's worth: taken from the lease when it starts, applied when it succeeds. */
export interface LeaseSync {
  used: Amount;
  /** Taken off the lease (and the counter's leased columns). */
  release: Amount;
  /** The part of `release` that finished requests had consumed (the rest, when closing, was free). */
  consumed: Amount;
  /** The lease is closed and nothing of it is in flight: delete its row, releasing what it still holds. */
  close: boolean;
}

export class LocalLease {
  /** What the lease's row holds, as of the last write that succeeded (plus blocks taken since). */
  held = zero();
  inflight = zero();
  /** Needs of requests that finished since the last write-back. */
  consumed = zero();
  /** What those requests spent: one request each (failed ones that spent nothing are not billed), measured compute. */
  used = zero();
  /** No new requests: returned (idle, shutdown, near the limit) or invalid; written back and deleted once drained. */
  closed = false;
  /** The sweeper reclaimed its row: what it held is no longer ours; pending use is still billed. */
  gone = false;
  /** The row is deleted (or gone) and nothing is pending: forget it. */
  finished = false;
  lastUsedAt: number;
  /** The counter as the last write saw it, for the quota-remaining headers. */
  view: CounterView;

  constructor(
    readonly id: string,
    readonly subject: string,
    readonly period: string,
    /** The instance lease's epoch it was taken under (lib/metering/instance.ts): another epoch may have lost it. */
    readonly epoch: number,
    now: number,
    view: CounterView,
  ) {
    this.lastUsedAt = now;
    this.view = view;
  }

  free(): Amount {
    return minus(minus(this.held, this.inflight), this.consumed);
  }

  /** Takes `need` from the free part, or returns null (closed, gone, or not enough free). */
  hold(need: Amount, now: number): LeaseHold | null {
    if (this.closed || this.gone) return null;
    const f = this.free();
    if (f.requests < need.requests || f.computeMs < need.computeMs) return null;
    this.inflight = plus(this.inflight, need);
    this.lastUsedAt = now;
    return { lease: this, need };
  }

  /** A request that spent nothing gives its need back. */
  release(h: LeaseHold): void {
    this.inflight = minus(this.inflight, h.need);
  }

  /** A request finished having spent `computeMs` (billed as one request, however much it spent). */
  settle(h: LeaseHold, computeMs: number): void {
    this.inflight = minus(this.inflight, h.need);
    this.consumed = plus(this.consumed, h.need);
    this.used = plus(this.used, { requests: 1, computeMs });
  }

  grow(block: Amount, view: CounterView): void {
    this.held = plus(this.held, block);
    this.view = view;
  }

  /** What the next write-back should do, or null when there is nothing to write. */
  pending(): LeaseSync | null {
    if (this.finished) return null;
    const close = this.closed && isZero(this.inflight);
    if (this.gone) {
      // Nothing of it is ours any more: only bill what was spent.
      if (isZero(this.used)) {
        if (close) this.finished = true;
        return null;
      }
      return { used: this.used, release: zero(), consumed: zero(), close: false };
    }
    // A closed lease gives back all it holds but what is in flight; an open one what its finished requests took.
    const release = this.closed ? minus(this.held, this.inflight) : this.consumed;
    if (!close && isZero(this.used) && isZero(release)) return null;
    return { used: this.used, release, consumed: this.consumed, close };
  }

  /** Applies a write-back that succeeded; `held` false: the row was gone (reclaimed by the sweeper). */
  synced(s: LeaseSync, held: boolean, view: CounterView): void {
    this.used = minus(this.used, s.used);
    // Requests that finished while the write was on its way stay consumed for the next one.
    this.consumed = minus(this.consumed, s.consumed);
    this.held = minus(this.held, s.release);
    this.view = view;
    if (!held) this.lose();
    if (s.close || (this.gone && this.closed && isZero(this.inflight) && isZero(this.used))) this.finished = true;
  }

  /** The sweeper reclaimed the row (this instance's lease had lapsed): stop using it; keep billing what it served. */
  lose(): void {
    this.gone = true;
    this.closed = true;
    this.held = zero();
    this.consumed = zero();
  }

  /**
   * Remaining figures for the quota headers: the limit less what the counter last said was used and reserved, less
   * what this lease used since and has in flight. Leased but unused quota is not use, so it is not subtracted.
   */
  remaining(limit: Amount): Amount {
    return {
      requests: Math.max(0, limit.requests - this.view.usedRequests - this.view.reservedRequests - this.used.requests - this.inflight.requests),
      computeMs: Math.max(0, limit.computeMs - this.view.usedComputeMs - this.view.reservedComputeMs - this.used.computeMs - this.inflight.computeMs),
    };
  }
}
