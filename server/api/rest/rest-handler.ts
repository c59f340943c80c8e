// The partner REST adapter: one function turns a route definition and a handler into
// a Next.js route handler. It authenticates the bearer token, refuses a token without the route's
// declared permission (from the permission table; the service checks again), parses
// path, query and body with the route's own zod schemas, builds the service context,
// and maps service errors to HTTP once. Nothing internal (stack, SQL) reaches a response.
import { gunzipSync } from "node:zlib";
import type { z } from "zod";
import { apiClientServiceContext, authenticateBearerToken, bearerTokenFrom } from "@/server/auth/api-tokens";
import { capDetail, invalidJsonBody, validationErrorBody, type RequestLocation } from "@/server/api/schemas/validation-detail";
import { unsafeInputError } from "@/server/api/unsafe-input";
import type { RouteBody, RouteDefinition, RouteParams, RouteQuery } from "@/server/api/openapi/define-route";
import type { ServiceContext } from "@/server/services/context";
import { isServiceError, RateLimitedError, type ServiceError, type ServiceErrorCode } from "@/server/services/errors";
import { log } from "@/server/log";
import { refusalFor } from "../declared-permission";

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface RestRequest<R extends RouteDefinition> {
  ctx: ServiceContext;
  body: RouteBody<R>;
  query: RouteQuery<R>;
  params: RouteParams<R>;
  request: Request;
}

export interface RestReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RestHandlerOptions<R extends RouteDefinition> {
  route: R;
  handler: (input: RestRequest<R>) => Promise<RestReply>;
  /**
   * Per-route cap on the request body in bytes, applied to the bytes received and again to the
   * decompressed size of a gzip body; DEFAULT_MAX_BODY_BYTES (1 MB) when unset. Raise it only for
   * routes that take bulk data (POST /data/readings takes 8 MB for 10,000-reading batches).
   */
  maxBodyBytes?: number;
  /** Per-route status for a service error code, where the dialect documents another (e.g. 400 for a refused delete). */
  errorStatus?: Partial<Record<ServiceErrorCode, number>>;
  /**
   * Reshapes every error reply (status 400 and up, `{detail}` bodies) before it is sent, where a
   * dialect publishes another error shape: one sentence for the meter lookups, RFC 9457 problems
   * for energy coordination. Unset, errors leave as `{detail}` with the located 422 list.
   */
  errorShape?: (reply: RestReply) => RestReply;
}

const STATUS_BY_CODE: Record<ServiceErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION: 422,
  PRECONDITION: 422,
  RATE_LIMITED: 429,
};

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  if (status === 204 || body === undefined) return new Response(null, { status, headers: { "cache-control": "no-store", ...headers } });
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", "cache-control": "no-store", ...headers },
  });
}

/** Thrown while reading a request; carries the reply to send. */
export class RequestRejected extends Error {
  constructor(readonly reply: RestReply) {
    super("request rejected");
  }
}

/** Reads the body with a size cap, decompressing gzip (also capped, against zip bombs). */
export async function readRequestBody(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = () => new RequestRejected({ status: 413, body: { detail: `Request body is larger than ${maxBytes} bytes.` } });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  const raw = Buffer.concat(chunks);
  const encoding = request.headers.get("content-encoding")?.trim().toLowerCase();
  if (!encoding || encoding === "identity") return raw;
  if (encoding !== "gzip" && encoding !== "x-gzip") {
    throw new RequestRejected({ status: 415, body: { detail: `Content-Encoding ${encoding} is not supported; send gzip or nothing.` } });
  }
  try {
    return gunzipSync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge();
    throw new RequestRejected({ status: 400, body: { detail: "Request body is not valid gzip." } });
  }
}

/** JSON, also under a structured-syntax suffix (application/merge-patch+json); no content type is read as JSON too. */
export function isJsonContentType(contentType: string | null): boolean {
  const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "" || mediaType === "application/json" || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

export function unsupportedMediaType(accepted: string): RequestRejected {
  return new RequestRejected({ status: 415, body: { detail: `This operation takes ${accepted}: set the Content-Type header accordingly.` } });
}

/** UTF-8 text of a body; bytes that are not UTF-8 are refused rather than silently replaced. */
export function decodeUtf8Body(raw: Buffer): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(raw);
  } catch {
    throw new RequestRejected({ status: 422, body: { detail: [{ loc: ["body"], msg: "Request body is not valid UTF-8", type: "json_invalid" }] } });
  }
}

export async function readJsonBody(request: Request, maxBytes?: number): Promise<unknown> {
  if (!isJsonContentType(request.headers.get("content-type"))) throw unsupportedMediaType("a JSON body (application/json)");
  const raw = await readRequestBody(request, maxBytes);
  if (raw.length === 0) throw new RequestRejected({ status: 422, body: { detail: [{ loc: ["body"], msg: "Field required", type: "missing" }] } });
  const text = decodeUtf8Body(raw);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
    throw new RequestRejected({ status: 422, body: invalidJsonBody(position === undefined ? 0 : Number(position)) });
  }
}

const FORM_BODY_TYPES = "a form (application/x-www-form-urlencoded or multipart/form-data) or JSON";

const notAnObject = (msg: string) => new RequestRejected({ status: 422, body: { detail: [{ loc: ["body"], msg, type: "json_invalid" }] } });

/**
 * The request's fields from a form, a multipart form or JSON; anything else is 415. For the
 * operations published as form bodies (the token endpoints, component tokens), which OAuth2-style
 * clients send as forms.
 */
export async function readFormFields(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const contentType = request.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  const isForm = mediaType === "application/x-www-form-urlencoded";
  const isMultipart = mediaType === "multipart/form-data";
  // An absent content type is read as a form, as OAuth2 clients send it.
  if (!isForm && !isMultipart && mediaType !== "" && !isJsonContentType(contentType)) throw unsupportedMediaType(FORM_BODY_TYPES);
  const raw = await readRequestBody(request, maxBytes);
  if (isMultipart) {
    try {
      const form = await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
      return Object.fromEntries([...form.entries()].filter(([, value]) => typeof value === "string"));
    } catch {
      throw notAnObject("Request body is not a valid multipart form");
    }
  }
  const text = decodeUtf8Body(raw);
  if (isForm || mediaType === "") return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw notAnObject("Request body is not a valid JSON object");
}

/**
 * Validates one part of a request (path, query or body) with its schema, after refusing what no
 * schema should see: NUL characters, text that is not Unicode, absurd nesting (see unsafe-input).
 */
export function parseRequestPart<S extends z.ZodType>(schema: S, input: unknown, location: RequestLocation): z.output<S> {
  const unsafe = unsafeInputError(input);
  if (unsafe) throw new RequestRejected({ status: 422, body: validationErrorBody(unsafe, location, input) });
  const result = schema.safeParse(input);
  if (!result.success) throw new RequestRejected({ status: 422, body: validationErrorBody(result.error, location, input) });
  return result.data;
}

/** Path parameters by matching the route's template against the URL, from the end (so any base path works). */
export function pathParams(template: string, pathname: string): Record<string, string> {
  const templateSegments = template.split("/").filter(Boolean);
  const pathSegments = pathname.split("/").filter(Boolean).slice(-templateSegments.length);
  const params: Record<string, string> = {};
  templateSegments.forEach((segment, index) => {
    const name = /^\{(.+)\}$/.exec(segment)?.[1];
    const value = pathSegments[index];
    if (name !== undefined && value !== undefined) {
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        params[name] = value;
      }
    }
  });
  return params;
}

export function queryObject(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return query;
}

function serviceErrorReply(error: ServiceError, overrides: Partial<Record<ServiceErrorCode, number>> = {}): RestReply {
  const status = overrides[error.code] ?? STATUS_BY_CODE[error.code];
  if (status === 422) {
    // The dialect's 422 is always a list of located problems.
    const detail =
      error.issues.length > 0
        ? error.issues.map((issue) => ({ loc: ["body", ...issue.path], msg: issue.message, type: issue.type ?? "value_error" }))
        : [{ loc: ["body"], msg: error.message, type: "value_error" }];
    return { status: 422, body: { detail: capDetail(detail) } };
  }
  const headers: Record<string, string> = status === 401 ? { "www-authenticate": "Bearer" } : {};
  if (error instanceof RateLimitedError) headers["retry-after"] = String(error.retryAfterSeconds);
  return { status, body: { detail: error.message }, headers };
}

/** Maps anything thrown by a handler to a reply; unknown errors are logged and answered without detail. */
function errorReply(error: unknown, operationId: string, overrides?: Partial<Record<ServiceErrorCode, number>>): RestReply {
  if (error instanceof RequestRejected) return error.reply;
  if (isServiceError(error)) return serviceErrorReply(error, overrides);
  log.error({ err: error, operationId }, "REST handler failed");
  return { status: 500, body: { detail: "Something went wrong on our side. Try again in a moment." } };
}

export function errorResponse(error: unknown, operationId: string, overrides?: Partial<Record<ServiceErrorCode, number>>): Response {
  const reply = errorReply(error, operationId, overrides);
  return jsonResponse(reply.status, reply.body, reply.headers);
}

/** A route handler that knows the operation it serves (the published operationId). */
export type OperationHandler = ((request: Request) => Promise<Response>) & { readonly operationId: string };

export function restHandler<R extends RouteDefinition>(options: RestHandlerOptions<R>): OperationHandler {
  const { route, errorShape } = options;
  const send = (reply: RestReply) => {
    const shaped = errorShape && reply.status >= 400 ? errorShape(reply) : reply;
    return jsonResponse(shaped.status, shaped.body, shaped.headers);
  };
  const handle = async (request: Request) => {
    try {
      const token = bearerTokenFrom(request.headers);
      const principal = token === null ? null : await authenticateBearerToken(token);
      if (!principal) {
        return send({
          status: 401,
          body: { detail: token === null ? "Not authenticated: send a bearer token." : "The bearer token is invalid or has expired." },
          headers: { "www-authenticate": "Bearer" },
        });
      }
      const ctx = apiClientServiceContext(principal);
      const refusal = route.permission === null ? null : refusalFor(ctx.actor, [route.permission]);
      if (refusal !== null) return send({ status: 403, body: { detail: refusal } });

      const url = new URL(request.url);
      const definition = route.request;
      const params = definition?.params ? parseRequestPart(definition.params, pathParams(route.path, url.pathname), "path") : {};
      const query = definition?.query ? parseRequestPart(definition.query, queryObject(url), "query") : {};
      const readBody = definition?.bodyContentType === "application/x-www-form-urlencoded" ? readFormFields : readJsonBody;
      const body = definition?.body ? parseRequestPart(definition.body, await readBody(request, options.maxBodyBytes), "body") : undefined;

      const reply = await options.handler({
        ctx,
        body: body as RouteBody<R>,
        query: query as RouteQuery<R>,
        params: params as RouteParams<R>,
        request,
      });
      return send(reply);
    } catch (error) {
      return send(errorReply(error, route.operationId, options.errorStatus));
    }
  };
  return Object.assign(handle, { operationId: route.operationId });
}
