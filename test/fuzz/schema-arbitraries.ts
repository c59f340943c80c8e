// fast-check arbitraries from JSON Schema (the components of our published OpenAPI document):
// values that mostly fit the schema, so requests reach the services, with hostile values
// (NUL bytes, lone surrogates, huge strings, numbers and arrays, wrong types, deep nesting,
// traversal strings) planted at random places, so the boundary is tested where it matters.
import fc from "fast-check";

export type JsonSchema = { [key: string]: unknown };

const NESTING_LIMIT = 6;
const MAX_GENERATED_ITEMS = 3;

/** Built once: large values are shared between cases rather than generated each time. */
export const HUGE_ARRAY = Array.from({ length: 100_000 }, (_, index) => index % 7);
export const HUGE_STRING = "x".repeat(300_000);
export const DEEP_NESTING = JSON.parse(`${"[".repeat(1000)}${"]".repeat(1000)}`) as unknown;

/** Strings that have broken parsers, databases and file lookups before. */
export const HOSTILE_STRINGS = [
  "\u0000",
  "a\u0000b",
  "\ud800",
  "x\udfff",
  "\udc00\ud800",
  "../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "%00",
  "' OR 1=1 --",
  "'; drop table sites; --",
  "<script>alert(1)</script>",
  "${jndi:ldap://x}",
  "𝕏🔋".repeat(500),
  "9".repeat(400),
  "-1",
  "",
  " ",
  "null",
  "NaN",
  "1e309",
  "0x10",
  "2026-02-30T25:61:00Z",
  "00000000-0000-0000-0000-000000000000",
  "\u202e\u0301\ufeff",
] as const;

const surrogateUnit = fc.integer({ min: 0xd700, max: 0xe000 }).map((code) => String.fromCharCode(code));

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<unknown>(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: surrogateUnit, minLength: 1, maxLength: 4 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -(2 ** 63), 2 ** 31, -0, 0.1, 5e-324, 1e21) },
  { weight: 3, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [[[[]]]], { nested: { deeper: ["x"] } }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(HUGE_STRING, HUGE_ARRAY, DEEP_NESTING) },
);

interface Context {
  components: Record<string, JsonSchema>;
  hostile: boolean;
}

function resolve(schema: JsonSchema, context: Context): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const name = ref.replace("#/components/schemas/", "");
  return context.components[name] ?? {};
}

const POSTCODES = ["SW1A 1AA", "EC1A 1BB", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"];

/** MPAN cores with a valid check digit (design.md §2), so site-creating requests get past validation. */
export const validMpan = fc.integer({ min: 0, max: 99_999_999_999 }).map((value) => {
  const prefix = `1${String(value).padStart(11, "0")}`;
  const weights = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const sum = weights.reduce((total, weight, index) => total + weight * Number(prefix[index]), 0);
  return `${prefix}${(sum % 11) % 10}`;
});

/** Plausible values for fields whose schemas say little (a string MPAN, a postcode). */
function byFieldName(name: string | undefined): fc.Arbitrary<unknown> | undefined {
  if (name === undefined) return undefined;
  if (/mpan/i.test(name)) return validMpan;
  if (/postcode|zip/i.test(name)) return fc.constantFrom(...POSTCODES);
  if (/time_?zone/i.test(name) || name === "timezone") return fc.constantFrom("Europe/London", "UTC", "Mars/Olympus");
  if (/local_time|_time$/.test(name)) return fc.constantFrom("08:15", "07:00:30", "23:59");
  if (name === "off_peak_times") return fc.constantFrom("00:00-07:00", "00:00-05:30, 23:30-24:00", "nonsense");
  return undefined;
}

function isoDateTime(): fc.Arbitrary<string> {
  return fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-01-01T00:00:00Z"), noInvalidDate: true }).map((date) => date.toISOString());
}

function stringArbitrary(schema: JsonSchema, name: string | undefined): fc.Arbitrary<unknown> {
  const named = byFieldName(name);
  if (named) return named;
  switch (schema.format) {
    case "uuid":
      return fc.uuid();
    case "date-time":
      return isoDateTime();
    case "date":
      return isoDateTime().map((text) => text.slice(0, 10));
    case "time":
      return fc.constantFrom("08:15", "08:15:30", "23:59:59");
    case "email":
      return fc.emailAddress();
    case "uri":
      return fc.webUrl();
    default:
      break;
  }
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = Math.min(typeof schema.maxLength === "number" ? schema.maxLength : 40, Math.max(minLength, 40));
  if (typeof schema.pattern === "string") {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length <= Math.max(maxLength, 64));
    } catch {
      // a pattern fast-check cannot generate from: fall back to plain strings
    }
  }
  return fc.string({ minLength, maxLength });
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<unknown> {
  const minimum = typeof schema.minimum === "number" ? schema.minimum : typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum : -1e6;
  const maximum = typeof schema.maximum === "number" ? schema.maximum : typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum : 1e6;
  const min = Math.max(minimum, -1e9);
  const max = Math.min(maximum, 1e9);
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) });
  return fc.double({ min, max: Math.max(min, max), noNaN: true, noDefaultInfinity: true });
}

function objectArbitrary(schema: JsonSchema, context: Context, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(properties)) model[key] = valueArbitrary(property, context, depth + 1, key);
  const known = fc.record(model, { requiredKeys: [...required].filter((key) => key in model) });
  if (!context.hostile) return known;
  // Now and then a field nobody defined, with a name or value that is itself hostile.
  const extraKey = fc.oneof(fc.constantFrom("extra", "__proto__", "constructor", "a\u0000b", "\ud800", ""), fc.string({ maxLength: 8 }));
  return fc.tuple(known, fc.option(fc.tuple(extraKey, hostileValue), { freq: 6 })).map(([value, extra]) => {
    if (extra === null || value === null || typeof value !== "object") return value;
    return { ...(value as object), [extra[0]]: extra[1] };
  });
}

/**
 * A value for `schema`. With `hostile`, any position may hold a hostile value instead
 * (about one in eight), and objects may gain an undeclared field.
 */
export function valueArbitrary(schema: JsonSchema, context: Context, depth = 0, name?: string): fc.Arbitrary<unknown> {
  const valid = validArbitrary(resolve(schema, context), context, depth, name);
  if (!context.hostile) return valid;
  return fc.oneof({ weight: 7, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

function validArbitrary(schema: JsonSchema, context: Context, depth: number, name: string | undefined): fc.Arbitrary<unknown> {
  if (depth > NESTING_LIMIT) return fc.constant(null);
  if ("const" in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options) && options.length > 0) return fc.oneof(...(options as JsonSchema[]).map((option) => valueArbitrary(option, context, depth + 1, name)));
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
    const merged = (schema.allOf as JsonSchema[]).map((part) => resolve(part, context)).reduce<JsonSchema>(
      (all, part) => ({ ...all, ...part, properties: { ...(all.properties as object), ...(part.properties as object) }, required: [...((all.required as string[]) ?? []), ...((part.required as string[]) ?? [])] }),
      {},
    );
    return validArbitrary(merged, context, depth, name);
  }
  const type = schema.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((single) => validArbitrary({ ...schema, type: single }, context, depth, name)));
  switch (type) {
    case "string":
      return stringArbitrary(schema, name);
    case "integer":
      return numberArbitrary(schema, true);
    case "number":
      return numberArbitrary(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const items = (schema.items ?? {}) as JsonSchema;
      const minLength = typeof schema.minItems === "number" ? Math.min(schema.minItems, MAX_GENERATED_ITEMS) : 0;
      return fc.array(valueArbitrary(items, context, depth + 1, name), { minLength, maxLength: Math.max(minLength, MAX_GENERATED_ITEMS) });
    }
    case "object":
      return objectArbitrary(schema, context, depth);
    default:
      if (schema.properties) return objectArbitrary(schema, context, depth);
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Text a schema will usually still accept, but a database or parser behind it may not. */
const PLANTED_TEXT = ["\u0000", "\ud800", "\udfff", "%00", "../../etc/passwd", "'", "𝕏"] as const;

type Position = { parent: Record<string | number, unknown> | null; key: string | number | null; value: unknown };

function positionsOf(value: unknown): Position[] {
  const positions: Position[] = [{ parent: null, key: null, value }];
  for (let index = 0; index < positions.length && positions.length < 500; index += 1) {
    const current = positions[index]?.value;
    if (current === null || typeof current !== "object") continue;
    for (const [key, child] of Object.entries(current)) positions.push({ parent: current as Record<string, unknown>, key: Array.isArray(current) ? Number(key) : key, value: child });
  }
  return positions;
}

/**
 * One hostile change to an otherwise valid value, so that the rest of the request passes
 * validation and the change reaches as far as it can: either text planted inside a string
 * (which its schema still accepts) or any one value replaced by a hostile one.
 */
function plantOne(value: unknown, pick: number, plantText: boolean, text: string, replacement: unknown): unknown {
  const copy = structuredClone(value);
  const positions = positionsOf(copy);
  const strings = positions.filter((position) => typeof position.value === "string");
  const chosen = plantText && strings.length > 0 ? strings[pick % strings.length] : positions[pick % positions.length];
  if (chosen === undefined) return copy;
  const next = plantText && typeof chosen.value === "string" ? `${chosen.value.slice(0, pick % (chosen.value.length + 1))}${text}${chosen.value.slice(pick % (chosen.value.length + 1))}` : replacement;
  if (chosen.parent === null || chosen.key === null) return next;
  chosen.parent[chosen.key] = next;
  return copy;
}

export function schemaArbitraries(components: Record<string, JsonSchema>) {
  const valid = (schema: JsonSchema, name?: string) => valueArbitrary(schema, { components, hostile: false }, 0, name);
  return {
    valid,
    /** Hostile values anywhere, about one position in eight. */
    hostile: (schema: JsonSchema, name?: string) => valueArbitrary(schema, { components, hostile: true }, 0, name),
    /** A valid value with exactly one hostile change. */
    planted: (schema: JsonSchema, name?: string) =>
      fc
        .tuple(valid(schema, name), fc.nat(), fc.boolean(), fc.constantFrom(...PLANTED_TEXT), hostileValue)
        .map(([value, pick, plantText, text, replacement]) => plantOne(value, pick, plantText, text, replacement)),
  };
}
