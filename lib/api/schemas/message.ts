import { z } from "zod";

/**
 * A server-built message as data (lib/i18n/message.ts): a catalog key and parameters, which may nest further
 * messages. Clients render it in their language and fall back to the English text sent next to it.
 */
export const messageOut = z
  .object({ key: z.string(), params: z.record(z.string(), z.unknown()).optional() })
  .describe("The same text as catalog key + parameters (keys under selection.reason.*), for clients that show it translated.");
