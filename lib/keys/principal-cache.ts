/**
 * A small in-process cache of verified principals (issue 12): bounded, least-recently-used first out, each entry
 * living as long as the TTL policy says *at the moment it is read* (so a lost invalidation channel shortens every
 * entry at once, not only the ones stored afterwards). Pure: the process-wide instances and the Redis channel that
 * invalidates them live in principal-store.ts and principal-channel.ts.
 */

/** What a change touches: one key, everything of one user, or everyone on one plan. */
export type PrincipalChange = { keyId: string } | { userId: string } | { planId: string };

/** The ids an entry answers to when something changes. */
export interface EntryTags {
  keyId?: string;
  userId?: string;
  planId?: string | null;
}

interface Entry<V> {
  value: V;
  tags: EntryTags;
  /** When the lookup that produced the value started (before its database read). */
  storedAt: number;
}

/** Given when an entry was stored and the time now, how long it may live (ms). */
export type TtlPolicy = (storedAt: number, now: number) => number;

export class PrincipalCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private generation = 0;

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value when it is still fresh under `ttl`; a stale entry is dropped. A hit becomes the most recent entry. */
  get(key: string, now: number, ttl: TtlPolicy): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now - e.storedAt >= ttl(e.storedAt, now)) {
      this.entries.delete(key);
      return undefined;
    }
    // Map iteration order is insertion order: re-inserting makes it the last to be evicted.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /**
   * Taken before a lookup reads the database: a value read under an older token is not stored (see set), so a
   * change that lands while the read is in flight can never be cached over.
   */
  token(): number {
    return this.generation;
  }

  /** Stores a value read under `token`, unless something was invalidated since. Evicts the least recently used. */
  set(key: string, value: V, tags: EntryTags, token: number, storedAt: number): boolean {
    if (token !== this.generation) return false;
    this.entries.delete(key);
    this.entries.set(key, { value, tags, storedAt });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return true;
  }

  /** Drops every entry the change touches; returns how many. Changes are rare: a scan of the entries is fine. */
  invalidate(change: PrincipalChange): number {
    this.generation++;
    let n = 0;
    for (const [k, e] of this.entries) {
      const hit =
        ("keyId" in change && e.tags.keyId === change.keyId) ||
        ("userId" in change && e.tags.userId === change.userId) ||
        ("planId" in change && e.tags.planId === change.planId);
      if (hit) {
        this.entries.delete(k);
        n++;
      }
    }
    return n;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

/** How fresh the invalidation channel is, as the TTL policy needs it. */
export interface ChannelHealth {
  /** When the current subscription was confirmed; null when there is no working subscription (or no Redis). */
  subscribedAt: number | null;
  /** When our own most recent heartbeat, received back through the channel, was sent (0: none yet). */
  lastHeartbeatSentAt: number;
}

export interface TtlSettings {
  /** Without a working channel: the longest another instance's change may go unseen. */
  shortMs: number;
  /** With a working channel (a change arrives as a message; the TTL only bounds what a message could not reach). */
  longMs: number;
  /** A heartbeat older than this means the channel is not known to work. */
  heartbeatWindowMs: number;
}

/**
 * The TTL policy: the long TTL only for entries stored while the subscription that is working now was already in
 * place (a message published before it — lost while it was down — may concern them), and only while our own
 * heartbeat keeps coming back through it (a connection that died silently delivers nothing). Otherwise the short
 * one. Redis delivers a subscriber's messages in the order it received them, so a fresh heartbeat also means every
 * invalidation published before it has arrived.
 */
export function entryTtlMs(h: ChannelHealth, s: TtlSettings, storedAt: number, now: number): number {
  return h.subscribedAt !== null && storedAt >= h.subscribedAt && channelWorking(h, s, now) ? s.longMs : s.shortMs;
}

/** Subscribed, and our own heartbeat came back through this subscription within the window. */
export function channelWorking(h: ChannelHealth, s: TtlSettings, now: number): boolean {
  return h.subscribedAt !== null && h.lastHeartbeatSentAt >= h.subscribedAt && now - h.lastHeartbeatSentAt <= s.heartbeatWindowMs;
}
