// The API reference page's reading of our OpenAPI document: operations grouped by tag, each with
// its parameters, request and response schemas as field lists, and an example payload built from
// the schema itself (so examples cannot drift from what the handlers accept and return).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: Json[];
  const?: Json;
  default?: Json;
  example?: Json;
  examples?: Json[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

interface RawOperation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiLike {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, JsonSchema> };
  tags?: { name: string; description?: string }[];
}

/** One field of an object schema, with its nested fields when it is an object or a list of them. */
export interface Field {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  /** Allowed values of an enum, in words as written in the contract. */
  values?: string[];
  fields?: Field[];
}

export interface Payload {
  contentType: string;
  /** The schema's name in components, when it has one. */
  schemaName?: string;
  type: string;
  fields: Field[];
  example: Json;
}

export interface ApiOperation {
  /** Anchor for links from the sidebar. */
  anchor: string;
  method: string;
  path: string;
  summary: string;
  description?: string;
  scopes: string[];
  parameters: { name: string; in: string; required: boolean; type: string; description?: string }[];
  request?: Payload;
  responses: { status: string; description: string; payload?: Payload }[];
}

export interface ApiTag {
  name: string;
  anchor: string;
  description?: string;
  operations: ApiOperation[];
}

const METHODS = ["get", "post", "put", "patch", "delete"];
const MAX_DEPTH = 4;

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

export function refName(schema: JsonSchema | undefined): string | undefined {
  return schema?.$ref?.split("/").pop();
}

/** Follows `$ref`s into components (and through single-member allOf wrappers). */
function resolve(schema: JsonSchema | undefined, doc: OpenApiLike, seen = new Set<string>()): JsonSchema {
  if (!schema) return {};
  const name = refName(schema);
  if (name) {
    if (seen.has(name)) return { type: "object", description: `${name} (see above)` };
    return resolve(doc.components?.schemas?.[name], doc, new Set([...seen, name]));
  }
  if (schema.allOf?.length === 1 && !schema.properties) return { ...resolve(schema.allOf[0], doc, seen), ...(schema.description ? { description: schema.description } : {}) };
  return schema;
}

/** The non-null member of "X or null", which is how optional-but-nullable fields are written. */
function withoutNull(schema: JsonSchema, doc: OpenApiLike): { schema: JsonSchema; nullable: boolean } {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) {
    const rest = variants.filter((v) => v.type !== "null");
    if (rest.length === 1 && rest.length < variants.length) return { schema: { ...resolve(rest[0], doc), ...(schema.description ? { description: schema.description } : {}) }, nullable: true };
  }
  if (Array.isArray(schema.type) && schema.type.includes("null")) {
    const types = schema.type.filter((t) => t !== "null");
    return { schema: { ...schema, type: types.length === 1 ? types[0] : types }, nullable: true };
  }
  return { schema, nullable: false };
}

/** "string (date-time)", "list of Site", "MPAN or null". */
export function typeOf(raw: JsonSchema | undefined, doc: OpenApiLike): string {
  if (!raw) return "any";
  const name = refName(raw);
  const { schema: unwrapped, nullable } = withoutNull(resolve(raw, doc), doc);
  const schema = unwrapped;
  let type: string;
  if (schema.const !== undefined) type = JSON.stringify(schema.const);
  else if (schema.enum) type = "enum";
  else if (schema.oneOf || schema.anyOf) type = (schema.oneOf ?? schema.anyOf ?? []).map((v) => typeOf(v, doc)).join(" | ");
  else if (schema.type === "array") type = `list of ${typeOf(schema.items, doc)}`;
  else if (name && (schema.type === "object" || schema.properties)) type = name;
  else if (Array.isArray(schema.type)) type = schema.type.join(" | ");
  else type = schema.type ? `${schema.type}${schema.format ? ` (${schema.format})` : ""}` : schema.properties ? "object" : "any";
  return nullable ? `${type} or null` : type;
}

export function fieldsOf(raw: JsonSchema | undefined, doc: OpenApiLike, depth = 0): Field[] {
  const schema = withoutNull(resolve(raw, doc), doc).schema;
  if (schema.type === "array") return fieldsOf(schema.items, doc, depth);
  if (!schema.properties || depth >= MAX_DEPTH) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const inner = withoutNull(resolve(property, doc), doc).schema;
    const values = (inner.enum ?? (inner.items ? resolve(inner.items, doc).enum : undefined))?.map((v) => String(v));
    const fields = fieldsOf(property, doc, depth + 1);
    return {
      name,
      type: typeOf(property, doc),
      required: required.has(name),
      ...(property.description || inner.description ? { description: property.description ?? inner.description } : {}),
      ...(values?.length ? { values } : {}),
      ...(fields.length ? { fields } : {}),
    };
  });
}

function mpanExample(): string {
  const first12 = "190000000001";
  const weights = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const sum = weights.reduce((total, weight, i) => total + Number(first12.charAt(i)) * weight, 0);
  return `${first12}${(sum % 11) % 10}`;
}

/** Plausible values for patterned strings, tried in order against the pattern. */
const PATTERN_SAMPLES = [mpanExample(), "SW1A 1AA", "2026-06-01", "2026-06-01T07:30:00Z", "07:30", "00:30:00", "3f2b9c1e-6d4a-4b8e-9f1a-2c3d4e5f6a7b", "GB", "100", "demo-1"];

/** Plausible values for well-known field names whose schema says only "string". */
const NAME_SAMPLES: Record<string, string> = { mpan: mpanExample(), postcode: "SW1A 1AA", email: "householder@example.com" };

const FORMAT_SAMPLES: Record<string, string> = {
  "date-time": "2026-06-01T07:30:00Z",
  date: "2026-06-01",
  time: "07:30:00",
  uuid: "3f2b9c1e-6d4a-4b8e-9f1a-2c3d4e5f6a7b",
  email: "householder@example.com",
  uri: "https://partner.example.com/webhooks/flexfleet",
  url: "https://partner.example.com/webhooks/flexfleet",
  ipv4: "192.0.2.10",
};

function stringExample(schema: JsonSchema, name: string): string {
  if (schema.format && FORMAT_SAMPLES[schema.format]) return FORMAT_SAMPLES[schema.format] ?? "";
  if (schema.pattern) {
    try {
      const pattern = new RegExp(schema.pattern, "u");
      const sample = PATTERN_SAMPLES.find((candidate) => pattern.test(candidate));
      if (sample) return sample;
    } catch {
      // A pattern JavaScript cannot read falls through to a plain value.
    }
  }
  const known = NAME_SAMPLES[name];
  if (known) return known;
  const base = name ? name.replace(/_/g, "-") : "text";
  return base.length >= (schema.minLength ?? 0) ? base : base.padEnd(schema.minLength ?? 0, "x");
}

/** An example value that satisfies the schema: its own example or default first, else one built from its shape. */
export function exampleOf(raw: JsonSchema | undefined, doc: OpenApiLike, name = "", depth = 0): Json {
  const schema = resolve(raw, doc);
  if (schema.example !== undefined) return schema.example;
  if (schema.examples?.length) return schema.examples[0] ?? null;
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.length) return schema.enum[0] ?? null;
  const variants = (schema.oneOf ?? schema.anyOf)?.filter((v) => v.type !== "null");
  if (variants?.length) {
    // The most specific variant: with few required fields, an example of one "oneOf" member can
    // also fit another, which the schema refuses.
    const requiredCount = (v: JsonSchema) => resolve(v, doc).required?.length ?? 0;
    const [first, ...rest] = variants;
    return exampleOf(rest.reduce((best, v) => (requiredCount(v) > requiredCount(best) ? v : best), first ?? {}), doc, name, depth);
  }
  if (schema.allOf?.length) return Object.assign({}, ...schema.allOf.map((part) => exampleOf(part, doc, name, depth))) as Json;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  switch (type ?? (schema.properties ? "object" : undefined)) {
    case "object": {
      if (depth >= MAX_DEPTH + 2) return {};
      const out: Record<string, Json> = {};
      const required = new Set(schema.required ?? []);
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        // Optional fields are shown too, to one level: a reader sees what can be sent.
        if (required.has(key) || depth === 0) out[key] = exampleOf(property, doc, key, depth + 1);
      }
      return out;
    }
    case "array":
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => exampleOf(schema.items, doc, name, depth + 1));
    case "integer": {
      const low = schema.exclusiveMinimum !== undefined ? Math.floor(schema.exclusiveMinimum) + 1 : (schema.minimum ?? 1);
      return Math.min(Math.max(low, 1), schema.maximum ?? Infinity);
    }
    case "number": {
      const low = schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 0.5 : (schema.minimum ?? 0);
      return Math.min(Math.max(low, 2.5), schema.maximum ?? Infinity);
    }
    case "boolean":
      return true;
    case "string":
      return stringExample(schema, name);
    default:
      return null;
  }
}

function payloadOf(content: Record<string, { schema?: JsonSchema }> | undefined, doc: OpenApiLike): Payload | undefined {
  const [contentType, media] = Object.entries(content ?? {})[0] ?? [];
  if (!contentType || !media?.schema) return undefined;
  const name = refName(media.schema);
  return {
    contentType,
    ...(name ? { schemaName: name } : {}),
    type: typeOf(media.schema, doc),
    fields: fieldsOf(media.schema, doc),
    example: exampleOf(media.schema, doc),
  };
}

/** The document as the page shows it: tags in the document's order, operations by path. */
export function readApiReference(doc: OpenApiLike): ApiTag[] {
  const tags = new Map<string, ApiTag>();
  for (const tag of doc.tags ?? []) tags.set(tag.name, { name: tag.name, anchor: `tag-${slug(tag.name)}`, ...(tag.description ? { description: tag.description } : {}), operations: [] });
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = methods[method] as RawOperation | undefined;
      if (!op) continue;
      const tagName = op.tags?.[0] ?? "Other";
      const tag = tags.get(tagName) ?? { name: tagName, anchor: `tag-${slug(tagName)}`, operations: [] };
      tags.set(tagName, tag);
      const request = payloadOf(op.requestBody?.content, doc);
      tag.operations.push({
        anchor: `op-${method}-${slug(path)}`,
        method: method.toUpperCase(),
        path: `/api/v1${path}`,
        summary: op.summary ?? "",
        ...(op.description ? { description: op.description } : {}),
        scopes: [...new Set((op.security ?? []).flatMap((s) => Object.values(s).flat()))],
        parameters: (op.parameters ?? []).map((p) => ({ name: p.name, in: p.in, required: p.required ?? false, type: typeOf(p.schema, doc), ...(p.description ? { description: p.description } : {}) })),
        ...(request ? { request } : {}),
        responses: Object.entries(op.responses ?? {}).map(([status, response]) => {
          const payload = payloadOf(response.content, doc);
          return { status, description: response.description ?? "", ...(payload ? { payload } : {}) };
        }),
      });
    }
  }
  return [...tags.values()].filter((tag) => tag.operations.length > 0);
}
