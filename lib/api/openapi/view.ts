/** Read-side helpers for rendering the document (the /docs page): grouping, `$ref` resolution, short type labels. */
import type { Auth } from "./operation";
import type { JsonSchema, Method, OpenApiDocument, Operation, Ref, ResponseObject } from "./types";

export interface OperationView {
  method: Method;
  path: string;
  op: Operation;
}

const METHODS: Method[] = ["get", "post", "put", "patch", "delete"];

/** Operations grouped by their first tag, in the document's tag order. */
export function operationsByTag(doc: OpenApiDocument): { tag: string; description: string; ops: OperationView[] }[] {
  const groups = doc.tags.map((t) => ({ tag: t.name, description: t.description, ops: [] as OperationView[] }));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      groups.find((g) => g.tag === op.tags[0])?.ops.push({ method, path, op });
    }
  }
  return groups.filter((g) => g.ops.length);
}

export function isRef(x: unknown): x is Ref {
  return typeof x === "object" && x !== null && typeof (x as Ref).$ref === "string";
}

function lookup(doc: OpenApiDocument, ref: string): unknown {
  let node: unknown = doc;
  for (const part of ref.replace(/^#\//, "").split("/")) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

export function resolveResponse(doc: OpenApiDocument, r: ResponseObject | Ref): ResponseObject {
  return isRef(r) ? (lookup(doc, r.$ref) as ResponseObject) : r;
}

/** A schema with every `$ref` replaced by its target, for display (our schemas have no cycles; depth-capped anyway). */
export function inlineRefs(doc: OpenApiDocument, schema: unknown, depth = 0): unknown {
  if (depth > 12) return schema;
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(doc, s, depth + 1));
  if (typeof schema !== "object" || schema === null) return schema;
  if (isRef(schema)) return inlineRefs(doc, lookup(doc, schema.$ref), depth + 1);
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, inlineRefs(doc, v, depth + 1)]));
}

/** `string`, `integer | null`, `"a" | "b"`, `Model[]`… */
export function typeLabel(schema: JsonSchema | Ref | undefined): string {
  if (!schema) return "";
  if (isRef(schema)) return schema.$ref.split("/").pop() ?? "";
  // Long enums (KServe model names) are listed beside the table instead.
  if (Array.isArray(schema.enum)) return schema.enum.length > 4 ? `${String(schema.type ?? "enum")} (enum)` : schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as JsonSchema[]).map(typeLabel).join(" | ");
  const t = Array.isArray(schema.type) ? schema.type.join(" | ") : String(schema.type ?? "any");
  if (schema.type === "array") return `${typeLabel(schema.items as JsonSchema | undefined) || "any"}[]`;
  return schema.format ? `${t} (${String(schema.format)})` : t;
}

/** The authentication mode an operation's security requirements describe (the inverse of `operation()`). */
export function authOf(op: Operation): { auth: Auth; permission?: string } {
  const key = op.security.find((s) => s.bearerAuth);
  const session = op.security.find((s) => s.sessionCookie);
  if (key) return { auth: session ? "keyOrSession" : "key", permission: key.bearerAuth[0] };
  if (session) return { auth: session.sessionCookie.includes("admin") ? "admin" : "session" };
  return { auth: "public" };
}
