// A partner's client for the published entities document: openapi-fetch typed by the
// openapi-typescript output (axle.d.ts), pointed at a platform server. Every answer is checked
// against the published document (not ours) with the same validator our contract tests use.
import { readFileSync } from "node:fs";
import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { OpenApiDocument } from "@/server/api/openapi/build-document";
import { withPublishedEnumExtensions } from "@/server/api/openapi/published-enum-extensions";
import { validateAgainstOpenApi } from "@/server/api/openapi/validate";
import type { paths } from "./axle";
import { PUBLISHED_DOCUMENT_FILE } from "./generate";

export type PublishedClient = Client<paths>;

let document: OpenApiDocument | undefined;
export function publishedDocument(): OpenApiDocument {
  document ??= JSON.parse(readFileSync(PUBLISHED_DOCUMENT_FILE, "utf8")) as OpenApiDocument;
  return document;
}

/**
 * The publisher's `format: time` is an ISO 8601 wall time as its framework reads it (`07:30`,
 * `07:30:00`, `07:30:00.5`, optional offset), where JSON Schema's is RFC 3339's full-time with a
 * mandatory offset that the published answers themselves would fail. Judge by the publisher's rule.
 */
const ISO_WALL_TIME = "^([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,6})?)?(Z|[+-]\\d\\d:?\\d\\d)?$";

function publisherTimeFormat(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(publisherTimeFormat);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).map(([key, child]) => [key, publisherTimeFormat(child)] as const);
  const object = Object.fromEntries(entries) as Record<string, unknown>;
  if (object.format === "time" && object.type === "string") {
    delete object.format;
    object.pattern = ISO_WALL_TIME;
  }
  return object;
}

let judged: OpenApiDocument | undefined;
/** The published document with the enum extensions our own document declares: what answers are judged by. */
function documentToJudgeBy(): OpenApiDocument {
  judged ??= publisherTimeFormat(withPublishedEnumExtensions(publishedDocument())) as OpenApiDocument;
  return judged;
}

export interface PublishedOperation {
  operationId: string;
  method: string;
  path: string;
}

/** Every operation the published document lists, in its order. */
export function publishedOperations(): PublishedOperation[] {
  return Object.entries(publishedDocument().paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ operationId: String(operation.operationId), method: method.toUpperCase(), path })),
  );
}

export interface Answer {
  operationId: string | null;
  method: string;
  path: string;
  status: number;
  body: unknown;
  /** Where the answer breaks the published document; empty when it conforms. */
  problems: string[];
}

/**
 * The published document's promise for one answer: a success status it lists, with the body its
 * schema describes; a listed error status with the body its schema describes. Error statuses it
 * does not list (401, 404 ...) are not judged here: the document simply does not mention them.
 */
export function checkAnswer(method: string, template: string, status: number, body: unknown): string[] {
  const operation = publishedDocument().paths[template]?.[method.toLowerCase()] as { responses?: Record<string, { content?: unknown }> } | undefined;
  if (operation === undefined) return [`${method} ${template} is not a published operation`];
  const listed = operation.responses?.[String(status)];
  if (listed === undefined) return status < 400 ? [`${status} is not a status the document lists for ${method} ${template}`] : [];
  if (listed.content === undefined) return [];
  const check = validateAgainstOpenApi(documentToJudgeBy(), method, template, status, body);
  return check.valid ? [] : check.errors;
}

export function publishedClient(baseUrl: string, answers: Answer[], token?: string): PublishedClient {
  const client = createClient<paths>({ baseUrl, ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }) });
  const record: Middleware = {
    async onResponse({ request, response, schemaPath }) {
      const text = await response.clone().text();
      let body: unknown = text;
      try {
        body = text === "" ? undefined : (JSON.parse(text) as unknown);
      } catch {
        // not JSON: kept as text, and the check below reports it
      }
      const operation = publishedDocument().paths[schemaPath]?.[request.method.toLowerCase()];
      answers.push({
        operationId: operation === undefined ? null : String(operation.operationId),
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        body,
        problems: checkAnswer(request.method, schemaPath, response.status, body),
      });
      return undefined;
    },
  };
  client.use(record);
  return client;
}

/** The bearer token a partner gets from the published token form (username = client id, password = secret). */
export async function publishedToken(baseUrl: string, clientId: string, clientSecret: string, answers: Answer[]): Promise<string> {
  const { data, response } = await publishedClient(baseUrl, answers).POST("/auth/token-form", {
    body: { username: clientId, password: clientSecret, grant_type: "password" },
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  if (data === undefined) throw new Error(`token-form answered ${response.status}`);
  return data.access_token;
}
