/** The parts of OpenAPI 3.1 this project writes (and the docs page reads). */

/** A JSON Schema (draft 2020-12) object, as OpenAPI 3.1 embeds it. */
export type JsonSchema = { [keyword: string]: unknown };

export interface Ref {
  $ref: string;
}

export type Method = "get" | "post" | "patch" | "put" | "delete";

export interface Parameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema: JsonSchema;
}

export interface MediaType {
  schema: JsonSchema | Ref;
  example?: unknown;
  encoding?: Record<string, { contentType: string }>;
}

export interface Header {
  description: string;
  required?: boolean;
  schema: JsonSchema;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, Header | Ref>;
  content?: Record<string, MediaType>;
}

export interface RequestBody {
  required: boolean;
  description?: string;
  content: Record<string, MediaType>;
}

export type SecurityRequirement = Record<string, string[]>;

export interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: SecurityRequirement[];
  parameters?: Parameter[];
  requestBody?: RequestBody;
  responses: Record<string, ResponseObject | Ref>;
}

export type PathItem = Partial<Record<Method, Operation>>;

export interface SecurityScheme {
  type: "http" | "apiKey";
  description: string;
  scheme?: string;
  bearerFormat?: string;
  name?: string;
  in?: "cookie" | "header" | "query";
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string; license?: { name: string; identifier?: string } };
  jsonSchemaDialect: string;
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, PathItem>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
    headers: Record<string, Header>;
    securitySchemes: Record<string, SecurityScheme>;
  };
}
