// The published document itself, and the wiring from it to the Next.js route files.
// Every response in the REST suites is validated against this document by test-support's `call`.
import { describe, expect, it } from "vitest";
import { validateAgainstOpenApi } from "@/server/api/openapi/validate";
import { publishedOpenApiDocument, publishedRoutes } from "./openapi-document";
import { restHandlersByOperationId } from "./handlers-by-operation";
import { getOpenApiJson } from "./test-support";

const routeFiles = import.meta.glob<Record<string, unknown>>("../../../app/api/v1/**/route.ts", { eager: true });

// Next allows one slug name per folder level: /meter/{meter_ref}/mpan shares /meter/[mpan].
const NEXT_FOLDERS: Record<string, string> = { "/meter/{meter_ref}/mpan": "/meter/[mpan]/mpan" };

function routeFileFor(path: string): Record<string, unknown> | undefined {
  // Next serves `/auth/users/me/` from the folder without the trailing slash (redirecting to it).
  const folder = NEXT_FOLDERS[path] ?? path.replace(/\{([^}]+)\}/g, "[$1]").replace(/\/$/, "");
  return routeFiles[`../../../app/api/v1${folder}/route.ts`];
}

describe("GET /api/v1/openapi.json", () => {
  it("serves an OpenAPI 3.1 document with every implemented operation", async () => {
    const served = (await getOpenApiJson()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(served.openapi).toBe("3.1.0");
    const operationIds = Object.values(served.paths).flatMap((item) => Object.values(item).map((operation) => operation.operationId));
    expect(operationIds.sort()).toEqual(publishedRoutes.map((route) => route.operationId).sort());
    expect(served).toEqual(JSON.parse(JSON.stringify(publishedOpenApiDocument())));
  });

  it("has a handler for every documented operation, exported by the route file for its path", () => {
    for (const route of publishedRoutes) {
      const handler = restHandlersByOperationId[route.operationId];
      expect(handler, route.operationId).toBeTypeOf("function");
      const file = routeFileFor(route.path);
      expect(file, `app/api/v1${route.path}/route.ts`).toBeDefined();
      expect(file?.[route.method.toUpperCase()], `${route.method.toUpperCase()} ${route.path}`).toBe(handler);
    }
    expect(routeFileFor("/openapi.json")?.GET).toBeTypeOf("function");
  });

  it("documents the error shapes partners parse", () => {
    const document = publishedOpenApiDocument();
    expect(validateAgainstOpenApi(document, "get", "/entities/site/00000000-0000-4000-8000-000000000000", 404, { detail: "Site not found." })).toEqual({ valid: true });
    expect(validateAgainstOpenApi(document, "post", "/entities/site/initialise", 422, { detail: [{ loc: ["body", "site"], msg: "Field required", type: "missing" }] })).toEqual({ valid: true });
    expect(validateAgainstOpenApi(document, "get", "/entities/site", 401, { detail: "Not authenticated" })).toEqual({ valid: true });
    expect(validateAgainstOpenApi(document, "post", "/entities/site", 413, { detail: "too big" })).toEqual({ valid: true });
  });
});
