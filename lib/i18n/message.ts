/**
 * Messages built on the server, stored or sent as data and rendered in the reader's language: a catalog key and its
 * parameters, where a parameter may itself be a message (a fragment whose wording differs by language, e.g. a
 * clause with its own leading space in English and none in Chinese) or a list of them joined by a catalog separator.
 * Stored in the database (routing decisions) and sent in API bodies, so rendering accepts `unknown` and answers
 * null for anything malformed, letting the caller fall back to the English text stored next to it.
 * Pure (no server-only): shared by the router, server pages and client components.
 */
import { translator, type Messages } from "./config";

export interface Message {
  key: string;
  params?: Record<string, MessageArg>;
}

/** Items joined by the separator at catalog key `sep` (e.g. ", " in English, "，" in Chinese). */
export interface MessageList {
  list: MessageArg[];
  sep: string;
}

export type MessageArg = string | number | Message | MessageList;

/** Only these catalog subtrees may be named by stored or received messages. */
const RENDERABLE = ["selection.reason.", "trainingRuns.reason."];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function lookup(messages: Messages, key: string): string | null {
  if (!RENDERABLE.some((p) => key.startsWith(p))) return null;
  let node: unknown = messages;
  for (const part of key.split(".")) node = isRecord(node) ? node[part] : undefined;
  return typeof node === "string" ? node : null;
}

function renderArg(messages: Messages, v: unknown, depth: number): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : null;
  if (depth > 8 || !isRecord(v)) return null;
  if (Array.isArray(v.list) && typeof v.sep === "string") {
    const sep = lookup(messages, v.sep);
    const items = v.list.map((x) => renderArg(messages, x, depth + 1));
    return sep === null || items.some((x) => x === null) ? null : items.join(sep);
  }
  return renderAt(messages, v, depth + 1);
}

function renderAt(messages: Messages, m: unknown, depth: number): string | null {
  if (!isRecord(m) || typeof m.key !== "string") return null;
  if (lookup(messages, m.key) === null) return null;
  const vars: Record<string, string> = {};
  if (m.params !== undefined) {
    if (!isRecord(m.params)) return null;
    for (const [name, v] of Object.entries(m.params)) {
      const s = renderArg(messages, v, depth);
      if (s === null) return null;
      vars[name] = s;
    }
  }
  return translator(messages)(m.key as Parameters<ReturnType<typeof translator>>[0], vars);
}

/** The message in the catalog's language, or null when it is malformed or names a key this catalog lacks. */
export function renderMessage(messages: Messages, m: unknown): string | null {
  return renderAt(messages, m, 0);
}

/** A list parameter. */
export const list = (items: MessageArg[], sep: string): MessageList => ({ list: items, sep });

/** The value as a Message when it has the shape of one (a key, object params), else null — for stored JSON. */
export function asMessage(v: unknown): Message | null {
  if (!isRecord(v) || typeof v.key !== "string") return null;
  if (v.params !== undefined && !isRecord(v.params)) return null;
  return v as unknown as Message;
}
