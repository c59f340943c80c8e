import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { publishedOpenApiDocument } from "@/server/api/rest/openapi-document";
import { exampleOf, readApiReference, type JsonSchema, type OpenApiLike } from "./api-reference";

const doc = publishedOpenApiDocument() as unknown as OpenApiLike;
const reference = readApiReference(doc);

/** A validator for one schema of the document, its `$ref`s resolved against the document's components. */
function validatorFor(schema: JsonSchema) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: "doc", components: doc.components } as object);
  const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/')) as object;
  return ajv.compile(rebased);
}

describe("the API reference", () => {
  it("lists every operation of the document once, under its tag", () => {
    const operations = reference.flatMap((tag) => tag.operations.map((op) => `${op.method} ${op.path}`));
    const inDocument = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).filter((m) => ["get", "post", "put", "patch", "delete"].includes(m)).map((m) => `${m.toUpperCase()} /api/v1${path}`));
    expect(new Set(operations).size).toBe(operations.length);
    expect([...operations].sort()).toEqual([...inDocument].sort());
    expect(new Set(reference.map((tag) => tag.anchor)).size).toBe(reference.length);
  });

  it("gives every request body a field list and an example its schema accepts", () => {
    const withBody = reference.flatMap((tag) => tag.operations).filter((op) => op.request);
    expect(withBody.length).toBeGreaterThan(10);
    const refused: string[] = [];
    for (const op of withBody) {
      const methods = doc.paths[op.path.replace(/^\/api\/v1/, "")] as Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>;
      const schema = Object.values(methods[op.method.toLowerCase()]?.requestBody?.content ?? {})[0]?.schema ?? {};
      const validate = validatorFor(schema);
      if (!validate(op.request?.example)) refused.push(`${op.method} ${op.path}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
    }
    expect(refused).toEqual([]);
  });

  it("shows the success response of a read with its schema's fields and an example", () => {
    const getSite = reference.flatMap((tag) => tag.operations).find((op) => op.method === "GET" && op.path === "/api/v1/entities/site/{site_id}");
    const ok = getSite?.responses.find((r) => r.status === "200");
    expect(ok?.payload?.schemaName).toBe("SiteResponse");
    expect(ok?.payload?.fields.map((f) => f.name)).toContain("mpan");
    expect(ok?.payload?.example).toMatchObject({ mpan: expect.stringMatching(/^\d{13}$/) });
  });

  it("builds examples from formats, patterns and bounds", () => {
    expect(exampleOf({ type: "string", format: "date-time" }, doc)).toBe("2026-06-01T07:30:00Z");
    expect(exampleOf({ type: "string", pattern: "^\\d{13}$" }, doc)).toMatch(/^\d{13}$/);
    expect(exampleOf({ type: "integer", minimum: 5, maximum: 9 }, doc)).toBe(5);
    expect(exampleOf({ type: "number", exclusiveMinimum: 0, maximum: 1 }, doc)).toBe(1);
    expect(exampleOf({ anyOf: [{ type: "null" }, { type: "string", enum: ["battery", "charger"] }] }, doc)).toBe("battery");
  });
});
