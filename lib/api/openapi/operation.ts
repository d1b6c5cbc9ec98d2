import type { z } from "zod";
import type { Permission } from "@/lib/keys/scopes";
import { COMPUTE_HEADERS, headerRefs, RATE_HEADERS, type HeaderName } from "./components";
import { jsonSchema } from "./json-schema";
import type { JsonSchema, Operation, Parameter, Ref, RequestBody, SecurityRequirement } from "./types";

/**
 * How a route authenticates, mirroring its wrapper: `handler({ auth })` for public/session/admin routes and
 * `metered({ permission, allowSession })` for key routes.
 */
export type Auth = "public" | "key" | "keyOrSession" | "session" | "admin";

export interface OpSpec {
  id: string;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  /** Key permission for key routes. */
  permission?: Permission;
  parameters?: Parameter[];
  body?: RequestBody;
  /** `contentType`: one media type, or the several a file download may have (the job's input, as uploaded). */
  ok: { status: 200 | 201 | 202; description: string; schema: JsonSchema | Ref; contentType?: string | string[] };
  /** Other responses with their own body (not the error shape), e.g. a readiness report that says "not ready". */
  also?: { status: number; description: string; schema: JsonSchema | Ref }[];
  /** Statuses beyond those the authentication mode implies. */
  errors?: number[];
  /** Which error shape: ours (`Error…`) or the KServe protocol's (`KServeError…`). */
  protocol?: "rest" | "kserve";
  /** Metered routes carry rate-limit headers on every response; `compute` adds the quota figures. */
  metered?: "rate" | "compute";
}

function security(auth: Auth, permission: string | undefined): SecurityRequirement[] {
  const key = { bearerAuth: permission ? [permission] : [] };
  switch (auth) {
    case "public":
      return [];
    case "key":
      return [key];
    case "keyOrSession":
      return [key, { sessionCookie: [] }];
    case "session":
      return [{ sessionCookie: [] }];
    case "admin":
      return [{ sessionCookie: ["admin"] }];
  }
}

/** Statuses the authentication alone can produce. */
function authStatuses(auth: Auth, mutates: boolean): number[] {
  const s: number[] = [];
  if (auth !== "public") s.push(401);
  // Keys lack scopes or belong to disabled accounts; admins-only; cross-site session mutations.
  if (auth === "key" || auth === "keyOrSession" || auth === "admin" || (auth === "session" && mutates)) s.push(403);
  if (auth === "key" || auth === "keyOrSession") s.push(429);
  return s;
}

export function operation(method: string, s: OpSpec): Operation {
  const headers: HeaderName[] = ["x-request-id"];
  if (s.metered) headers.push(...RATE_HEADERS);
  if (s.metered === "compute") headers.push(...COMPUTE_HEADERS);
  const statuses = [...new Set([...authStatuses(s.auth, method !== "get"), ...(s.errors ?? [])])].sort((a, b) => a - b);
  const prefix = s.protocol === "kserve" ? "KServeError" : "Error";
  const responses: Operation["responses"] = {
    [String(s.ok.status)]: {
      description: s.ok.description,
      headers: headerRefs(headers),
      content: Object.fromEntries([s.ok.contentType ?? "application/json"].flat().map((t) => [t, { schema: s.ok.schema }])),
    },
  };
  for (const a of s.also ?? []) responses[String(a.status)] = { description: a.description, headers: headerRefs(["x-request-id"]), content: { "application/json": { schema: a.schema } } };
  for (const st of statuses) responses[String(st)] ??= { $ref: `#/components/responses/${prefix}${st}` };
  return {
    operationId: s.id,
    tags: [s.tag],
    summary: s.summary,
    ...(s.description ? { description: s.description } : {}),
    security: security(s.auth, s.permission),
    ...(s.parameters?.length ? { parameters: s.parameters } : {}),
    ...(s.body ? { requestBody: s.body } : {}),
    responses,
  };
}

export function pathParam(name: string, description: string, schema: JsonSchema = { type: "string" }): Parameter {
  return { name, in: "path", required: true, description, schema };
}

/** Query parameters from the zod object a handler parses its search params with. */
export function queryParams(schema: z.ZodType): Parameter[] {
  const js = jsonSchema(schema, "input");
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, p]) => {
    const { description, ...rest } = p;
    return { name, in: "query" as const, required: required.has(name), ...(typeof description === "string" ? { description } : {}), schema: rest };
  });
}

export function jsonBody(schema: JsonSchema | Ref, description?: string): RequestBody {
  return { required: true, ...(description ? { description } : {}), content: { "application/json": { schema } } };
}
