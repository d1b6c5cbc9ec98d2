/** Fixtures for API tests: users with keys, over real HTTP. */
import fs from "node:fs";
import path from "node:path";
import { request, signIn, signUp, type CookieJar } from "./http";
import { ROOT } from "./server";

export const sample = (f: string) => fs.readFileSync(path.join(ROOT, "public/samples", f));

export interface TestUser {
  email: string;
  id: string;
  jar: CookieJar;
}

export async function newUser(base: string, tag = "u"): Promise<TestUser> {
  const email = `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const res = await signUp(base, email, "test-password-1");
  const { user } = (await res.json()) as { user: { id: string } };
  const { jar, ok } = await signIn(base, email, "test-password-1");
  if (!ok) throw new Error("sign-in failed");
  return { email, id: user.id, jar };
}

export async function createKey(base: string, u: TestUser, body: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const res = await request(base, "/api/v1/keys", { method: "POST", jar: u.jar, json: { name: "test", ...body } });
  if (res.status !== 201) throw new Error(`key create ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; key: string };
}

export async function adminJar(base: string, email: string, password: string): Promise<CookieJar> {
  const r = await signIn(base, email, password);
  if (!r.ok) throw new Error("admin sign-in failed");
  return r.jar;
}

export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

export function form(field: string, bytes: Buffer, name: string, fields: Record<string, string> = {}): FormData {
  const fd = new FormData();
  fd.set(field, new Blob([new Uint8Array(bytes)]), name);
  for (const [k, v] of Object.entries(fields)) fd.set(k, v);
  return fd;
}

/** A mono 16-bit PCM WAV of these samples. */
export function pcmWav(samples: Int16Array, rate = 16000): Buffer {
  const h = Buffer.alloc(44);
  h.write("RIFF", 0);
  h.writeUInt32LE(36 + samples.byteLength, 4);
  h.write("WAVE", 8);
  h.write("fmt ", 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write("data", 36);
  h.writeUInt32LE(samples.byteLength, 40);
  return Buffer.concat([h, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]);
}

/** A short 16 kHz mono 16-bit WAV: `seconds` of a quiet tone (cheap to run through VAD). */
export function tinyWav(seconds = 0.5, rate = 16000): Buffer {
  const samples = new Int16Array(Math.round(seconds * rate));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(Math.sin(i / 10) * 300);
  return pcmWav(samples, rate);
}

/** Polls `fn` every `intervalMs` until `ok` or the timeout (pollers of an API over minutes: mind the rate limit). */
export async function waitFor<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** "200: 150, 429 rate_limited: 250": what a burst got, for failure messages. */
export function histogram(sent: readonly { status: number; code: string | null }[]): string {
  const h: Record<string, number> = {};
  for (const s of sent) {
    const k = `${s.status}${s.code ? ` ${s.code}` : ""}`;
    h[k] = (h[k] ?? 0) + 1;
  }
  return Object.entries(h).map(([k, v]) => `${k}: ${v}`).join(", ");
}
