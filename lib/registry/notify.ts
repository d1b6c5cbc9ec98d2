import "server-only";
import type { Redis } from "ioredis";
import { registryVersion } from "@/lib/db/registry-version";
import { log } from "@/lib/log";
import { instanceId } from "@/lib/metering/instance";
import { redis, subscribeChannel } from "@/lib/metering/redis";

/**
 * Registry changes (a model or version added, edited, removed) reach every instance within 5 s. The instance that
 * made a change calls announceRegistryChange(): its own watchers run at once and the others are told over Redis
 * (`pareto:registry:<db>`). Every watching instance also polls a cheap fingerprint of the registry
 * (lib/db/registry-version.ts): every 2 s while the channel is not proven working — no REDIS_URL, not subscribed
 * yet, or its own heartbeat (published every second, like the principal channel's) not back within 3 s — and every
 * 30 s as a backstop while it is. A message lost while the channel failed is caught by the first fast poll, since
 * the fingerprint it compares against predates the failure. Watchers may be called more than once for one change
 * (they reload; that is idempotent).
 */

export const FAST_POLL_MS = 2_000;
export const BACKSTOP_POLL_MS = 30_000;
const HEARTBEAT_MS = 1_000;
const HEARTBEAT_WINDOW_MS = 3_000;

interface Hub {
  listeners: Set<() => void>;
  sub: Redis | null;
  timer?: NodeJS.Timeout;
  subscribedAt: number | null;
  heartbeatBackAt: number;
  /** The fingerprint last seen (null until the first poll: that one only sets it). */
  version: string | null;
  lastPollAt: number;
  polling: boolean;
  /** The first poll: the baseline changes are compared with. */
  ready?: Promise<void>;
}

const g = globalThis as unknown as { __paretoRegistryHub?: Hub };

const channelName = (r: Redis) => `pareto:registry:${r.options.db ?? 0}`;
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function channelWorking(h: Hub, now = Date.now()): boolean {
  return h.subscribedAt !== null && now - h.heartbeatBackAt <= HEARTBEAT_WINDOW_MS;
}

function fire(h: Hub): void {
  for (const fn of [...h.listeners]) {
    try {
      fn();
    } catch (e) {
      log("error", "registry watcher failed", { error: message(e) });
    }
  }
}

/** Reads the fingerprint; fires the watchers when it moved (and `notify` is set). */
async function poll(h: Hub, notify: boolean): Promise<void> {
  if (h.polling) return;
  h.polling = true;
  h.lastPollAt = Date.now();
  try {
    const v = await registryVersion();
    const moved = h.version !== null && v !== h.version;
    h.version = v;
    if (moved && notify && g.__paretoRegistryHub === h) fire(h);
  } catch (e) {
    log("warn", "registry poll failed", { error: message(e) });
  } finally {
    h.polling = false;
  }
}

function onMessage(h: Hub, text: string): void {
  let m: { from?: unknown; heartbeat?: unknown; change?: unknown };
  try {
    m = JSON.parse(text) as typeof m;
  } catch {
    return;
  }
  if (typeof m.from !== "string") return;
  if (typeof m.heartbeat === "number") {
    if (m.from === instanceId() && h.subscribedAt !== null) h.heartbeatBackAt = Math.max(h.heartbeatBackAt, m.heartbeat);
    return;
  }
  // Our own changes ran our watchers when they were announced.
  if (m.change !== true || m.from === instanceId()) return;
  fire(h);
  // The new fingerprint becomes the baseline, so the next poll does not report this change again.
  void poll(h, false);
}

function subscribe(h: Hub, main: Redis): Redis {
  return subscribeChannel(main, channelName(main), "registry", {
    onSubscribed: () => (h.subscribedAt = Date.now()),
    onDown: () => {
      if (h.subscribedAt !== null) log("warn", "registry channel lost: polling the registry every 2 s until it is back");
      h.subscribedAt = null;
      h.heartbeatBackAt = 0;
    },
    onMessage: (text) => onMessage(h, text),
  });
}

function startHub(): Hub {
  const main = redis();
  const h: Hub = { listeners: new Set(), sub: null, subscribedAt: null, heartbeatBackAt: 0, version: null, lastPollAt: 0, polling: false };
  if (main) h.sub = subscribe(h, main);
  h.timer = setInterval(() => {
    const now = Date.now();
    if (main?.status === "ready") main.publish(channelName(main), JSON.stringify({ from: instanceId(), heartbeat: now })).catch(() => undefined);
    // The tick is 1 s: a 2 s poll comes every other tick.
    const every = channelWorking(h, now) ? BACKSTOP_POLL_MS : FAST_POLL_MS;
    if (now - h.lastPollAt >= every - HEARTBEAT_MS / 2) void poll(h, true);
  }, HEARTBEAT_MS);
  h.timer.unref();
  h.ready = poll(h, true);
  return h;
}

/** Calls `onChange` after every registry change (this instance's and others'); returns the unsubscribe function. */
export function watchRegistry(onChange: () => void): () => void {
  const h = (g.__paretoRegistryHub ??= startHub());
  // A function object per call, so one callback watched twice is unsubscribed twice independently.
  const fn = () => onChange();
  h.listeners.add(fn);
  return () => {
    h.listeners.delete(fn);
    if (h.listeners.size === 0 && g.__paretoRegistryHub === h) void stopRegistryWatch();
  };
}

/** Retries a publish that failed, for as long as other instances may be relying on the channel (their backstop). */
function retryPublish(main: Redis, text: string, until: number): void {
  const attempt = () => {
    if (Date.now() > until) return log("error", "registry change never published: other instances saw it through their polling");
    main.publish(channelName(main), text).then(
      () => log("info", "registry change published after a retry"),
      () => setTimeout(attempt, 1_000).unref(),
    );
  };
  setTimeout(attempt, 1_000).unref();
}

/**
 * A registry change was committed: this instance's watchers run now, the others are told through Redis (waiting up
 * to `waitMs` for the publish, then retrying in the background). Without Redis they find it by polling.
 */
export async function announceRegistryChange(waitMs = 1_000): Promise<void> {
  const h = g.__paretoRegistryHub;
  if (h) {
    fire(h);
    void poll(h, false);
  }
  const main = redis();
  if (!main) return;
  const text = JSON.stringify({ from: instanceId(), change: true });
  let timer: NodeJS.Timeout | undefined;
  const sent = main.publish(channelName(main), text).then(
    () => undefined,
    (e: unknown) => {
      log("warn", "registry change not published; retrying", { error: message(e) });
      retryPublish(main, text, Date.now() + BACKSTOP_POLL_MS);
    },
  );
  await Promise.race([sent, new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
  clearTimeout(timer);
}

/** Resolves once watching has its baseline: a change committed after this is reported (nothing to wait for when nobody watches). */
export async function registryWatchReady(): Promise<void> {
  await g.__paretoRegistryHub?.ready;
}

/** For readiness and tests: whether changes arrive over Redis (else by polling every FAST_POLL_MS). */
export function registryChannelUp(): boolean {
  const h = g.__paretoRegistryHub;
  return h !== undefined && channelWorking(h);
}

/** On shutdown (and when the last watcher leaves): stop polling and close the subscriber connection. */
export async function stopRegistryWatch(): Promise<void> {
  const h = g.__paretoRegistryHub;
  if (!h) return;
  g.__paretoRegistryHub = undefined;
  clearInterval(h.timer);
  h.listeners.clear();
  h.subscribedAt = null;
  await h.sub?.quit().catch(() => h.sub?.disconnect());
}
