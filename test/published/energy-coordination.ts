// The publisher's energy-coordination document (test/published/energy-coordination/ec-openapi.json,
// unchanged) read the way its generator meant it, so that server/api/openapi/validate.ts can check
// our answers against it:
// - OpenAPI 3.0 `nullable: true` becomes a JSON Schema type union with null, and the format
//   "time-span" (a .NET TimeSpan) a pattern;
// - a payload declared as `allOf: [base]` with its own properties (a C# subclass) gets the base's
//   properties merged in and its discriminator value as a constant; the closed base alone could
//   never be satisfied together with the subclass's own fields.
// Two deliberate divergences, both about money in Great Britain, are made explicit here and nowhere
// else: our currency (GBP) and our market codes are added to the published Nordic lists.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { OpenApiDocument } from "@/server/api/openapi/build-document";
import { DEFAULT_MARKET } from "@/server/services/market-prices/default-market";

type Json = Record<string, unknown>;

export const PUBLISHED_DOCUMENT_PATH = fileURLToPath(
  new URL("./energy-coordination/ec-openapi.json", import.meta.url),
);
export const WEBHOOK_TEST_DATA_DIR = fileURLToPath(
  new URL("./energy-coordination/webhook-test-data/", import.meta.url),
);

export const OUR_CURRENCIES = ["GBP"];
export const OUR_PRICE_AREAS = [DEFAULT_MARKET];

export function loadPublishedDocument(): Json {
  return JSON.parse(readFileSync(PUBLISHED_DOCUMENT_PATH, "utf8")) as Json;
}

function nullableToUnion(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullableToUnion);
  if (value === null || typeof value !== "object") return value;
  const { nullable, ...rest } = value as Json;
  const mapped = Object.fromEntries(
    Object.entries(rest).map(([key, child]) => [key, nullableToUnion(child)]),
  ) as Json;
  // .NET TimeSpan text (what the publisher's "time-span" format means), e.g. 00:30:00 or 1.00:00:00.
  if (mapped.format === "time-span") {
    delete mapped.format;
    mapped.pattern = "^-?(\\d+\\.)?\\d{1,2}:\\d{2}:\\d{2}(\\.\\d+)?$";
  }
  if (nullable === true) {
    if (typeof mapped.type === "string") return { ...mapped, type: [mapped.type, "null"] };
    return { anyOf: [mapped, { type: "null" }] };
  }
  return mapped;
}

/** Operations of the document: method, path, operationId. */
export function publishedOperations(
  document: Json = loadPublishedDocument(),
): { method: string; path: string; operationId: string }[] {
  const paths = document.paths as Record<string, Record<string, { operationId?: string }>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map(([method, operation]) => ({ method, path, operationId: String(operation.operationId) })),
  );
}

export function publishedDocumentForValidation(): OpenApiDocument {
  const document = loadPublishedDocument();
  const schemas = (document.components as { schemas: Record<string, Json> }).schemas;
  for (const [name, schema] of Object.entries(schemas)) {
    const allOf = schema.allOf as { $ref: string }[] | undefined;
    if (!allOf) continue;
    const baseName = allOf[0]?.$ref.split("/").pop() ?? "";
    const base = schemas[baseName] as {
      properties: Json;
      discriminator?: { mapping: Record<string, string> };
    };
    const value = Object.entries(base.discriminator?.mapping ?? {}).find(([, ref]) =>
      ref.endsWith(`/${name}`),
    )?.[0];
    const { allOf: _allOf, ...own } = schema;
    schemas[name] = {
      ...own,
      properties: {
        ...base.properties,
        ...(own.properties as Json),
        ...(value ? { payloadType: { type: "string", const: value } } : {}),
      },
    };
  }
  for (const schema of Object.values(schemas)) delete schema.discriminator;
  (schemas.Currency as { enum: string[] }).enum.push(...OUR_CURRENCIES);
  (schemas.PriceArea as { enum: string[] }).enum.push(...OUR_PRICE_AREAS);
  return nullableToUnion(document) as OpenApiDocument;
}
