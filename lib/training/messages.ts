/**
 * Messages of the training service as data: a catalog key under trainingRuns.reason.* with its parameters, and the
 * English text rendered from the same catalog — the API sends both, so the English and the translation cannot drift.
 * Pure: bundled into the training worker too.
 */
import { CATALOGS } from "@/lib/i18n/config";
import { list, renderMessage, type Message, type MessageArg } from "@/lib/i18n/message";

export interface Said {
  /** English. */
  message: string;
  /** The same text as catalog key + parameters, for clients that show it translated. */
  i18n: Message;
}

const PREFIX = "trainingRuns.reason.";

/** `key` relative to trainingRuns.reason (e.g. "badRow.emptyText"). */
export function say(key: string, params?: Record<string, MessageArg>): Said {
  const i18n: Message = { key: PREFIX + key, ...(params ? { params } : {}) };
  const message = renderMessage(CATALOGS.en, i18n);
  // A key missing from the catalog is a programming error: a unit test renders every key this module builds.
  return { message: message ?? key, i18n };
}

/** Items joined by the catalog separator at trainingRuns.reason.<sepKey>. */
export function joined(items: MessageArg[], sepKey: string): MessageArg {
  return list(items, PREFIX + sepKey);
}
