import { z } from "zod";
import type { JsonSchema } from "./types";

type Ctx = Parameters<NonNullable<Parameters<typeof z.toJSONSchema>[1]>["override"] & object>[0];

/** `z.date()` (optionally nullable) piped into a transform: our output schemas serialise dates that way. */
function dateTransform(ctx: Ctx): { nullable: boolean } | null {
  const def = ctx.zodSchema._zod.def;
  if (def.type !== "pipe" || def.out._zod.def.type !== "transform") return null;
  const input = def.in as z.core.$ZodTypes;
  if (input._zod.def.type === "date") return { nullable: false };
  if (input._zod.def.type === "nullable" && input._zod.def.innerType._zod.def.type === "date") return { nullable: true };
  return null;
}

/**
 * A zod schema as OpenAPI 3.1 (JSON Schema 2020-12). Request bodies and parameters use `io: "input"` (what the
 * client sends, before preprocessing and coercion); responses use `io: "output"`. A transform's result has no
 * JSON Schema, so only the transforms we know how to describe are allowed — Date → ISO 8601 string — and any
 * other one fails the build of the document instead of silently documenting "anything".
 */
export function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: (ctx) => (ctx.zodSchema._zod.def.type === "transform" ? "any" : "throw"),
    override: (ctx) => {
      const d = io === "output" ? dateTransform(ctx) : null;
      if (!d) {
        if (io === "output" && ctx.zodSchema._zod.def.type === "pipe" && ctx.zodSchema._zod.def.out._zod.def.type === "transform") {
          throw new Error(`OpenAPI: cannot describe the output of a transform at ${ctx.path.join(".") || "(root)"}`);
        }
        return;
      }
      // Everything but a description (`.describe()` on the field) is the transform's, which JSON Schema cannot say.
      for (const k of Object.keys(ctx.jsonSchema)) if (k !== "description") delete (ctx.jsonSchema as JsonSchema)[k];
      Object.assign(ctx.jsonSchema, { type: d.nullable ? ["string", "null"] : "string", format: "date-time" });
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}
