// For REST tests: a partner's-eye client that sends real Request objects to the route
// handlers and checks every response against our own published OpenAPI document, so
// the whole suite doubles as the contract test.
import { expect } from "vitest";
import type { ApiScope } from "@/server/domain/api-scopes";
import { matchOpenApiPath, validateAgainstOpenApi } from "@/server/api/openapi/validate";
import { mpanCheckDigit } from "@/server/domain/inventory";
import { createApiClient } from "@/server/services/api-clients/api-clients";
import type { TestOrg } from "@/test/fixtures";
import { restHandlersByOperationId } from "./handlers-by-operation";
import { openApiHandler, publishedOpenApiDocument, publishedRoutes } from "./openapi-document";

const BASE = "http://localhost/api/v1";

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is (string or bytes) instead of JSON-encoding `body`. */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** Responses that were checked against the document, for the contract summary test. */
export const contractChecks: { operation: string; status: number }[] = [];

export async function call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
  const document = publishedOpenApiDocument();
  const template = matchOpenApiPath(document, method, path);
  const route = publishedRoutes.find(
    (candidate) => candidate.path === template && candidate.method === method.toLowerCase(),
  );
  if (!route) throw new Error(`No route for ${method} ${path}`);
  const handler = restHandlersByOperationId[route.operationId];
  if (!handler) throw new Error(`No handler for ${route.operationId}`);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | Uint8Array | undefined = options.rawBody;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const request = new Request(`${BASE}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body: body as BodyInit } : {}),
  });
  const response = await handler(request);
  const text = await response.text();
  const parsed: unknown = text === "" ? undefined : JSON.parse(text);
  const check = validateAgainstOpenApi(document, method, path, response.status, parsed, response.headers.get("content-type")?.split(";")[0]?.trim() || "application/json");
  expect(check, `${method} ${path} -> ${response.status} ${text.slice(0, 300)}`).toEqual({ valid: true });
  contractChecks.push({ operation: route.operationId, status: response.status });
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export async function getOpenApiJson(): Promise<unknown> {
  return (await openApiHandler().json()) as unknown;
}

export async function apiClientFor(
  org: TestOrg,
  scopes: ApiScope[],
): Promise<{ clientId: string; clientSecret: string; id: string }> {
  const created = await createApiClient(org.admin, { name: `test client ${scopes.join(",")}`, scopes });
  return { clientId: created.clientId, clientSecret: created.clientSecret, id: created.id };
}

/** A bearer token for a new API client of `org` with `scopes`. */
export async function tokenFor(org: TestOrg, scopes: ApiScope[]): Promise<string> {
  const client = await apiClientFor(org, scopes);
  const response = await call("POST", "/auth/token", {
    rawBody: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
    }).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  expect(response.status).toBe(200);
  return (response.body as { access_token: string }).access_token;
}

export const ALL_SCOPES: ApiScope[] = ["entities:read", "entities:write", "users:read", "users:write"];

/** A random MPAN core with a valid check digit. */
export function randomMpan(): string {
  const prefix = `1${String(Math.floor(Math.random() * 1e11)).padStart(11, "0")}`;
  return `${prefix}${mpanCheckDigit(prefix)}`;
}
