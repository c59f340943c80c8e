// A small registry format for REST routes: one definition feeds the request
// validation in handlers and the published OpenAPI document.
import type { z } from "zod";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export type ResponseWithoutBody = { description: string };
export type ResponseWithBody = { description?: string; schema: z.ZodType; contentType?: string };
export type RouteResponse = z.ZodType | ResponseWithoutBody | ResponseWithBody;

export type RouteRequest = {
  body?: z.ZodType;
  /** Content type of the body; JSON unless said otherwise (e.g. form-encoded token requests). */
  bodyContentType?: string;
  query?: z.ZodObject;
  params?: z.ZodObject;
};

export type RouteDefinition = {
  method: HttpMethod;
  /** OpenAPI-style path below /api/v1, e.g. `/entities/site/{site_id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** OAuth2 scopes the caller's token needs; empty for public routes. */
  scopes: readonly string[];
  /** A valid bearer token is needed even though no particular scope is. */
  requiresToken?: boolean;
  request?: RouteRequest;
  responses: Readonly<Partial<Record<number, RouteResponse>>>;
  deprecated?: boolean;
};

export function defineRoute<const R extends RouteDefinition>(route: R): R {
  return route;
}

type SchemaOutput<S> = S extends z.ZodType ? z.output<S> : never;
type RequestOf<R> = R extends { request: infer Q } ? Q : never;

/** What a handler holds after validating the request of route R. */
export type RouteBody<R extends RouteDefinition> = SchemaOutput<RequestOf<R> extends { body: infer B } ? B : never>;
export type RouteQuery<R extends RouteDefinition> = SchemaOutput<RequestOf<R> extends { query: infer B } ? B : never>;
export type RouteParams<R extends RouteDefinition> = SchemaOutput<RequestOf<R> extends { params: infer B } ? B : never>;

/** What a handler must return for status S of route R. */
export type RouteResponseBody<R extends RouteDefinition, S extends keyof R["responses"]> =
  R["responses"][S] extends z.ZodType
    ? z.input<R["responses"][S]>
    : R["responses"][S] extends { schema: infer B }
      ? B extends z.ZodType
        ? z.input<B>
        : never
      : undefined;

export function isZodSchema(value: RouteResponse): value is z.ZodType {
  return typeof (value as { safeParse?: unknown }).safeParse === "function";
}

export function responseSchemaOf(response: RouteResponse | undefined): z.ZodType | undefined {
  if (response === undefined) return undefined;
  if (isZodSchema(response)) return response;
  return "schema" in response ? response.schema : undefined;
}
