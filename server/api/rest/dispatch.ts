// One entry point for the whole partner REST API: a request under /api/v1 is matched against
// the route registry that also builds the published OpenAPI document, so what we serve and
// what we publish cannot drift apart. A path we do not serve is a JSON 404; a path we serve
// with a method it does not take is a JSON 405 whose Allow header comes from the same registry.
import type { RouteDefinition } from "@/server/api/openapi/define-route";
import { restHandlersByOperationId, type RestHandler } from "./handlers-by-operation";
import { openApiHandler, publishedRoutes } from "./openapi-document";
import { jsonResponse } from "./rest-handler";

export const REST_BASE_PATH = "/api/v1";

/** What answers at a path but is not an operation of the document (the document itself). */
export const DOCUMENT_ROUTE = { method: "get", path: "/openapi.json", operationId: "openApiDocument" } as const;

type ServedRoute = Pick<RouteDefinition, "method" | "path" | "operationId">;

export type RestResolution =
  | { kind: "operation"; route: ServedRoute; handler: RestHandler }
  | { kind: "method_not_allowed"; allow: string[] }
  | { kind: "not_found" };

interface CompiledPath {
  template: string;
  segments: string[];
  routes: ServedRoute[];
}

function compilePaths(routes: readonly ServedRoute[]): CompiledPath[] {
  const byTemplate = new Map<string, CompiledPath>();
  for (const route of routes) {
    const existing = byTemplate.get(route.path);
    if (existing) {
      existing.routes.push(route);
      continue;
    }
    const segments = route.path.split("/").filter(Boolean);
    byTemplate.set(route.path, { template: route.path, segments, routes: [route] });
  }
  return [...byTemplate.values()].sort(literalsFirst);
}

/**
 * A literal segment beats a parameter at the first place two templates differ, as Next.js
 * routes: /entities/asset/external-id/{external_id} before /entities/asset/{asset_id}/intent.
 */
function literalsFirst(a: CompiledPath, b: CompiledPath): number {
  const shape = (path: CompiledPath) => path.segments.map((segment) => (segment.startsWith("{") ? "1" : "0")).join("");
  return shape(a).localeCompare(shape(b));
}

/** Whether `segments` fit the template: literals equal, parameters non-empty. */
function matchesSegments(path: CompiledPath, segments: string[]): boolean {
  if (path.segments.length !== segments.length) return false;
  return path.segments.every((expected, index) => {
    const actual = segments[index] ?? "";
    return expected.startsWith("{") ? actual !== "" : expected === actual;
  });
}

/** HEAD is served by GET and OPTIONS by the dispatcher, wherever GET exists or any method does. */
function allowedMethods(routes: readonly ServedRoute[]): string[] {
  const methods = new Set(routes.map((route) => route.method.toUpperCase()));
  if (methods.has("GET")) methods.add("HEAD");
  methods.add("OPTIONS");
  return [...methods].sort();
}

export interface RestDispatcher {
  /** Which route (if any) answers `method` on `pathname` (with or without the /api/v1 prefix). */
  resolve(method: string, pathname: string): RestResolution;
  /** Answers any request under /api/v1. */
  handle(request: Request): Promise<Response>;
}

export function createRestDispatcher(handlers: Record<string, RestHandler> = restHandlersByOperationId): RestDispatcher {
  const served: ServedRoute[] = [...publishedRoutes.filter((route) => handlers[route.operationId] !== undefined), DOCUMENT_ROUTE];
  const handlerFor = (route: ServedRoute): RestHandler => (route === DOCUMENT_ROUTE ? openApiHandler : (handlers[route.operationId] as RestHandler));
  const paths = compilePaths(served);

  function resolve(method: string, pathname: string): RestResolution {
    const below = pathname.startsWith(`${REST_BASE_PATH}/`) || pathname === REST_BASE_PATH ? pathname.slice(REST_BASE_PATH.length) : pathname;
    // A trailing slash names the same resource, as partners' clients often add one.
    const segments = below.split("/").filter((segment, index, all) => segment !== "" || (index > 0 && index < all.length - 1));
    const wanted = method.toUpperCase() === "HEAD" ? "get" : method.toLowerCase();
    for (const path of paths) {
      if (!matchesSegments(path, segments)) continue;
      const route = path.routes.find((candidate) => candidate.method === wanted);
      if (route) return { kind: "operation", route, handler: handlerFor(route) };
      return { kind: "method_not_allowed", allow: allowedMethods(path.routes) };
    }
    return { kind: "not_found" };
  }

  async function handle(request: Request): Promise<Response> {
    const method = request.method.toUpperCase();
    const resolution = resolve(method, new URL(request.url).pathname);
    if (resolution.kind === "not_found") return jsonResponse(404, { detail: "Not Found" });
    if (resolution.kind === "method_not_allowed") {
      const allow = resolution.allow.join(", ");
      if (method === "OPTIONS") return jsonResponse(204, undefined, { allow });
      return jsonResponse(405, { detail: "Method Not Allowed" }, { allow });
    }
    const response = await resolution.handler(request);
    if (method !== "HEAD") return response;
    return new Response(null, { status: response.status, headers: response.headers });
  }

  return { resolve, handle };
}
