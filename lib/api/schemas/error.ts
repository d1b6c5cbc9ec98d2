import { z } from "zod";
import { ERROR_STATUS, errorBody, type ErrorCode } from "../errors";

const CODES = Object.keys(ERROR_STATUS) as ErrorCode[];
const TYPES = [...new Set(CODES.map((c) => errorBody(c, "").error.type))];

/** The one error shape of every /api route (lib/api/errors.ts), for the OpenAPI document and tests. */
export const errorOutput = z.object({
  error: z.object({
    type: z.enum(TYPES).describe("The class of error; one per HTTP status family."),
    code: z.enum(CODES).describe("A stable, machine-readable reason."),
    message: z.string().describe("What went wrong and, where possible, how to fix it."),
    param: z.string().optional().describe("The request field the error is about."),
  }),
});

/** Error codes by HTTP status, for documenting each status. */
export function codesFor(status: number): ErrorCode[] {
  return CODES.filter((c) => ERROR_STATUS[c] === status);
}
