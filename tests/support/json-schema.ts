/**
 * A small JSON Schema (2020-12) checker for the keywords our zod-generated documents use. ajv is not a
 * dependency; to stay honest, a keyword this checker does not know fails the check instead of being skipped.
 */
const ANNOTATIONS = new Set(["description", "default", "title", "examples", "contentEncoding", "contentMediaType", "$schema", "readOnly", "writeOnly"]);
const KNOWN = new Set([
  "type", "properties", "required", "additionalProperties", "items", "prefixItems", "minItems", "maxItems", "enum", "const",
  "anyOf", "oneOf", "allOf", "$ref", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
  "pattern", "format", "propertyNames",
]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(want: string, v: unknown): boolean {
  const got = typeOf(v);
  return want === got || (want === "number" && got === "integer");
}

export function validateJson(root: unknown, schema: unknown, value: unknown, path = "$"): string[] {
  const errors: string[] = [];
  const check = (s: unknown, v: unknown, p: string) => errors.push(...validateJson(root, s, v, p));
  if (schema === true) return errors;
  if (schema === false) return [`${path}: no value allowed`];
  const s = schema as Record<string, unknown>;
  for (const k of Object.keys(s)) if (!KNOWN.has(k) && !ANNOTATIONS.has(k)) return [`${path}: unsupported keyword ${k}`];
  if (typeof s.$ref === "string") {
    let target: unknown = root;
    for (const part of s.$ref.replace(/^#\//, "").split("/")) target = (target as Record<string, unknown>)?.[part];
    if (target === undefined) return [`${path}: unresolved ${s.$ref}`];
    check(target, value, path);
  }
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((t) => typeMatches(t, value))) return [...errors, `${path}: expected ${types.join("|")}, got ${typeOf(value)}`];
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) errors.push(`${path}: ${JSON.stringify(value)} not in enum`);
  if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => validateJson(root, sub, value, path).length === 0)) errors.push(`${path}: matches no anyOf branch`);
  if (Array.isArray(s.oneOf) && s.oneOf.filter((sub) => validateJson(root, sub, value, path).length === 0).length !== 1) errors.push(`${path}: must match exactly one oneOf branch`);
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) check(sub, value, path);
  if (typeof value === "number") {
    if (typeof s.minimum === "number" && value < s.minimum) errors.push(`${path}: < minimum ${s.minimum}`);
    if (typeof s.maximum === "number" && value > s.maximum) errors.push(`${path}: > maximum ${s.maximum}`);
    if (typeof s.exclusiveMinimum === "number" && value <= s.exclusiveMinimum) errors.push(`${path}: <= exclusiveMinimum`);
    if (typeof s.exclusiveMaximum === "number" && value >= s.exclusiveMaximum) errors.push(`${path}: >= exclusiveMaximum`);
  }
  if (typeof value === "string") {
    if (typeof s.minLength === "number" && [...value].length < s.minLength) errors.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === "number" && [...value].length > s.maxLength) errors.push(`${path}: longer than ${s.maxLength}`);
    if (typeof s.pattern === "string" && !new RegExp(s.pattern, "u").test(value)) errors.push(`${path}: does not match ${s.pattern}`);
    if (s.format === "date-time" && Number.isNaN(Date.parse(value))) errors.push(`${path}: not a date-time`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === "number" && value.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === "number" && value.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    prefix.forEach((sub, i) => i < value.length && check(sub, value[i], `${path}[${i}]`));
    if (s.items !== undefined) for (let i = prefix.length; i < value.length; i++) check(s.items, value[i], `${path}[${i}]`);
  }
  if (typeOf(value) === "object") {
    const obj = value as Record<string, unknown>;
    const props = (s.properties ?? {}) as Record<string, unknown>;
    for (const r of (s.required ?? []) as string[]) if (!(r in obj)) errors.push(`${path}: missing required ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      if (s.propertyNames !== undefined) check(s.propertyNames, k, `${path}{${k}}`);
      if (k in props) check(props[k], v, `${path}.${k}`);
      else if (s.additionalProperties !== undefined) check(s.additionalProperties, v, `${path}.${k}`);
    }
  }
  return errors;
}
