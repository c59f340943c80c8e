// One contract: for every published operation our own /api/v1/openapi.json names the same
// operationId at the same path and method, takes the same parameters, and promises answers of the
// published shape (every published property, required where the publisher requires it). Where we
// extend a published enum, our document says so on that schema.
import { describe, expect, it } from "vitest";
import type { JsonSchema, OpenApiDocument } from "@/server/api/openapi/build-document";
import { PUBLISHED_ENUM_EXTENSIONS } from "@/server/api/openapi/published-enum-extensions";
import { publishedOpenApiDocument } from "@/server/api/rest/openapi-document";
import { publishedDocument, publishedOperations } from "./partner-client";

/** Published operations not served yet (the same list as the conformance walk's): they must leave this list when they land. */
const NOT_YET_SERVED: string[] = [];

/** Gaps we keep on purpose, each with its reason. */
const KNOWN_GAPS: Record<string, string> = {
  "offboard_site_and_assets_entities_site__site_id__offboard_site_and_assets_post 200.asset is not required": "a site offboarded with no assets has no asset to return",
};

type Operation = { operationId?: string; parameters?: { name: string; in: string; required?: boolean }[]; responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }> };

function operationOf(document: OpenApiDocument, method: string, path: string): Operation | undefined {
  return document.paths[path]?.[method.toLowerCase()] as Operation | undefined;
}

/** Follows $ref and allOf-of-one, the way the publisher wraps references. */
function resolve(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  let current = schema;
  for (let depth = 0; current !== undefined && depth < 10; depth++) {
    const ref = current.$ref;
    const allOf = current.allOf as JsonSchema[] | undefined;
    if (typeof ref === "string") current = document.components.schemas[ref.replace("#/components/schemas/", "")];
    else if (allOf?.length === 1) current = allOf[0];
    else break;
  }
  return current;
}

/** Where `ours` does not promise what `published` does, as readable paths (one level of nesting into objects and arrays). */
function shapeGaps(ours: OpenApiDocument, oursSchema: JsonSchema | undefined, theirs: OpenApiDocument, theirSchema: JsonSchema | undefined, at: string, depth = 0): string[] {
  const mine = resolve(ours, oursSchema);
  const published = resolve(theirs, theirSchema);
  if (published === undefined || mine === undefined || depth > 3) return [];
  if (published.type === "array") return shapeGaps(ours, mine.items as JsonSchema, theirs, published.items as JsonSchema, `${at}[]`, depth + 1);
  const publishedProperties = (published.properties ?? {}) as Record<string, JsonSchema>;
  const myProperties = (mine.properties ?? {}) as Record<string, JsonSchema>;
  const myRequired = new Set((mine.required ?? []) as string[]);
  const gaps: string[] = [];
  for (const name of (published.required ?? []) as string[]) if (!myRequired.has(name)) gaps.push(`${at}.${name} is not required`);
  for (const [name, property] of Object.entries(publishedProperties)) {
    if (myProperties[name] === undefined) gaps.push(`${at}.${name} is missing`);
    else gaps.push(...shapeGaps(ours, myProperties[name], theirs, property, `${at}.${name}`, depth + 1));
  }
  return gaps;
}

describe("our OpenAPI document against the published one", () => {
  const ours = publishedOpenApiDocument();
  const theirs = publishedDocument();

  it("has every published operation under its published operationId, path and method", () => {
    const missing = publishedOperations().filter((operation) => operationOf(ours, operation.method, operation.path)?.operationId !== operation.operationId);
    expect(missing.map((operation) => operation.operationId).sort()).toEqual([...NOT_YET_SERVED].sort());
  });

  it("takes the published parameters, in the same places, required alike", () => {
    const differences = publishedOperations().filter(({ operationId }) => !NOT_YET_SERVED.includes(operationId)).flatMap(({ method, path, operationId }) => {
      const key = (parameter: { name: string; in: string; required?: boolean }) => `${parameter.in}:${parameter.name}${parameter.required === true ? "!" : ""}`;
      const mine = (operationOf(ours, method, path)?.parameters ?? []).map(key).sort();
      const published = (operationOf(theirs, method, path)?.parameters ?? []).map(key).sort();
      return JSON.stringify(mine) === JSON.stringify(published) ? [] : [`${operationId}: ours ${mine.join(",")} / published ${published.join(",")}`];
    });
    expect(differences).toEqual([]);
  });

  it("promises every published success answer with the published properties", () => {
    const gaps = publishedOperations().filter(({ operationId }) => !NOT_YET_SERVED.includes(operationId)).flatMap(({ method, path, operationId }) => {
      const published = operationOf(theirs, method, path)?.responses ?? {};
      const mine = operationOf(ours, method, path)?.responses ?? {};
      return Object.entries(published)
        .filter(([status, response]) => status.startsWith("2") && response.content?.["application/json"]?.schema !== undefined)
        .flatMap(([status, response]) => {
          const myResponse = mine[status];
          if (myResponse === undefined) return [`${operationId} ${status} is not documented`];
          return shapeGaps(ours, myResponse.content?.["application/json"]?.schema, theirs, response.content?.["application/json"]?.schema, `${operationId} ${status}`);
        });
    });
    expect(gaps.filter((gap) => KNOWN_GAPS[gap] === undefined)).toEqual([]);
  });

  it("documents each enum it extends", () => {
    for (const extension of PUBLISHED_ENUM_EXTENSIONS) {
      const schema = ours.components.schemas[extension.schema];
      expect(schema, extension.schema).toBeDefined();
      expect(schema?.["x-extends-published-enum"], extension.schema).toEqual({ values: [...extension.values], why: extension.why });
    }
  });
});
