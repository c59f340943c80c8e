// Builds the OpenAPI 3.1 document from route definitions with zod's own JSON Schema
// conversion. Schemas with a meta id become shared components; a schema whose request
// (input) form differs from its response (output) form gets a second component
// suffixed "Input", so each side documents exactly what it accepts or returns.
import { z } from "zod";
import { PERMISSIONS, scopesFor } from "@/server/domain/permissions";
import { httpValidationErrorSchema, errorWithDetailSchema } from "@/server/api/schemas/entities-common";
import { type RouteDefinition, type RouteResponse, isZodSchema } from "./define-route";

export type JsonSchema = { [key: string]: unknown };
type Io = "input" | "output";

export type OpenApiDocument = {
  openapi: "3.1.0";
  info: { title: string; version: string; description?: string };
  servers: { url: string }[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, JsonSchema> };
  tags?: { name: string; description?: string }[];
};

export type BuildOptions = {
  title?: string;
  version?: string;
  description?: string;
  serverUrl?: string;
  tokenUrl?: string;
  /** Every scope a route may ask for, with what it allows. */
  scopes?: Readonly<Record<string, string>>;
  tags?: { name: string; description?: string }[];
};

const DEFS_PREFIX = "#/$defs/";
const COMPONENTS_PREFIX = "#/components/schemas/";

type Converted = { io: Io; root: JsonSchema; defs: Record<string, JsonSchema> };

function convert(schema: z.ZodType, io: Io): Converted {
  const json = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonSchema;
  const { $schema: _schema, $defs, ...root } = json;
  return { io, root, defs: ($defs ?? {}) as Record<string, JsonSchema> };
}

function mapRefs(value: unknown, rename: (ref: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => mapRefs(item, rename));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) =>
      key === "$ref" && typeof child === "string" ? [key, rename(child)] : [key, mapRefs(child, rename)],
    ),
  );
}

function refsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((item) => refsIn(item, found));
  else if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string" && child.startsWith(DEFS_PREFIX)) found.add(child.slice(DEFS_PREFIX.length));
      else refsIn(child, found);
    }
  }
  return found;
}

/** Collects conversions, then names components once every use is known. */
class SchemaCollector {
  private readonly pending: { converted: Converted; place: (schema: JsonSchema) => void }[] = [];

  add(schema: z.ZodType, io: Io, place: (schema: JsonSchema) => void): void {
    this.pending.push({ converted: convert(schema, io), place });
  }

  addConverted(converted: Converted, place: (schema: JsonSchema) => void): void {
    this.pending.push({ converted, place });
  }

  finish(): Record<string, JsonSchema> {
    const defsByIo: Record<Io, Map<string, JsonSchema>> = { input: new Map(), output: new Map() };
    for (const { converted } of this.pending) {
      for (const [id, def] of Object.entries(converted.defs)) defsByIo[converted.io].set(id, def);
    }
    const differing = new Set<string>();
    for (const [id, inputDef] of defsByIo.input) {
      const outputDef = defsByIo.output.get(id);
      if (outputDef !== undefined && JSON.stringify(outputDef) !== JSON.stringify(inputDef)) differing.add(id);
    }
    // An input component that points at a differing one must itself be renamed.
    for (let changed = true; changed; ) {
      changed = false;
      for (const [id, inputDef] of defsByIo.input) {
        if (differing.has(id) || !defsByIo.output.has(id)) continue;
        if ([...refsIn(inputDef)].some((ref) => differing.has(ref))) {
          differing.add(id);
          changed = true;
        }
      }
    }
    const nameFor = (io: Io, id: string): string => (io === "input" && differing.has(id) ? `${id}Input` : id);
    const renamer = (io: Io) => (ref: string) =>
      ref.startsWith(DEFS_PREFIX) ? COMPONENTS_PREFIX + nameFor(io, ref.slice(DEFS_PREFIX.length)) : ref;

    const components: Record<string, JsonSchema> = {};
    for (const io of ["output", "input"] as const) {
      for (const [id, def] of defsByIo[io]) {
        components[nameFor(io, id)] = mapRefs(def, renamer(io)) as JsonSchema;
      }
    }
    for (const { converted, place } of this.pending) place(mapRefs(converted.root, renamer(converted.io)) as JsonSchema);
    return Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b)));
  }
}

const STATUS_DESCRIPTIONS: Readonly<Record<number, string>> = {
  200: "Success",
  201: "Created",
  202: "Accepted",
  204: "Done; no content",
  400: "The request was refused",
  401: "Missing or expired bearer token",
  403: "The token lacks a required scope",
  404: "Not found in your organisation",
  409: "Conflicts with an existing record",
  422: "The request did not pass validation",
};

function parameterList(
  collector: SchemaCollector,
  location: "query" | "path",
  schema: z.ZodObject,
  place: (parameters: JsonSchema[]) => void,
): void {
  const converted = convert(schema, "input");
  const properties = (converted.root.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((converted.root.required ?? []) as string[]);
  const parameters: JsonSchema[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const { description, ...rest } = property;
    const parameter: JsonSchema = { name, in: location, required: location === "path" || required.has(name), schema: rest };
    if (typeof description === "string") parameter.description = description;
    parameters.push(parameter);
  }
  // Parameter schemas may refer to components: route them through the collector.
  collector.addConverted(
    { io: "input", root: { parameters } as JsonSchema, defs: converted.defs },
    (rewritten) => place(rewritten.parameters as JsonSchema[]),
  );
}

function responseObject(
  collector: SchemaCollector,
  status: number,
  response: RouteResponse,
): JsonSchema {
  const description = (!isZodSchema(response) ? response.description : undefined) ?? STATUS_DESCRIPTIONS[status] ?? "Response";
  const schema = isZodSchema(response) ? response : "schema" in response ? response.schema : undefined;
  const object: JsonSchema = { description };
  if (schema !== undefined) {
    const contentType = !isZodSchema(response) && "contentType" in response ? (response.contentType ?? "application/json") : "application/json";
    const content: JsonSchema = {};
    object.content = content;
    collector.add(schema, "output", (json) => {
      content[contentType] = { schema: json };
    });
  }
  return object;
}

export function takesInput(route: RouteDefinition): boolean {
  const request = route.request;
  if (request === undefined) return false;
  return request.body !== undefined || request.query !== undefined || request.params !== undefined;
}

export function buildOpenApiDocument(routes: readonly RouteDefinition[], options: BuildOptions = {}): OpenApiDocument {
  const collector = new SchemaCollector();
  const paths: OpenApiDocument["paths"] = {};
  const operationIds = new Set<string>();
  const declaredScopes = new Set(Object.keys(options.scopes ?? {}));
  const operationsWithParameters: [JsonSchema, JsonSchema[]][] = [];

  for (const route of routes) {
    if (operationIds.has(route.operationId)) throw new Error(`Duplicate operationId ${route.operationId}`);
    operationIds.add(route.operationId);
    const scopes = route.permission === null ? [] : scopesFor(route.permission);
    for (const scope of scopes) {
      if (options.scopes !== undefined && !declaredScopes.has(scope)) {
        throw new Error(`Route ${route.operationId} asks for undeclared scope ${scope}`);
      }
    }

    const operation: JsonSchema = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [...route.tags],
    };
    if (route.description !== undefined) operation.description = route.description;
    if (route.deprecated === true) operation.deprecated = true;
    operation.security = route.permission === null ? [] : [{ oauth2: [...scopes] }, { bearerAuth: [...scopes] }];

    const parameters: JsonSchema[] = [];
    operation.parameters = parameters;
    if (route.request?.params !== undefined) {
      parameterList(collector, "path", route.request.params, (list) => parameters.unshift(...list));
    }
    if (route.request?.query !== undefined) {
      parameterList(collector, "query", route.request.query, (list) => parameters.push(...list));
    }
    if (route.request?.body !== undefined) {
      const content: JsonSchema = {};
      operation.requestBody = { required: true, content };
      const contentType = route.request.bodyContentType ?? "application/json";
      collector.add(route.request.body, "input", (json) => {
        content[contentType] = { schema: json };
      });
    }

    const responses: JsonSchema = {};
    const declared = Object.entries(route.responses).flatMap(([status, response]) =>
      response === undefined ? [] : [[Number(status), response] as const],
    );
    for (const [status, response] of declared) responses[String(status)] = responseObject(collector, status, response);
    if (takesInput(route) && responses["422"] === undefined) {
      responses["422"] = responseObject(collector, 422, httpValidationErrorSchema);
    }
    if (route.permission !== null) {
      responses["401"] ??= responseObject(collector, 401, errorWithDetailSchema);
      // A permission every token holds (PERMISSIONS[...].everyToken) is never refused with a 403.
      if (PERMISSIONS[route.permission].everyToken !== true) responses["403"] ??= responseObject(collector, 403, errorWithDetailSchema);
    }
    operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)));
    operationsWithParameters.push([operation, parameters]);

    const pathItem = (paths[route.path] ??= {});
    if (pathItem[route.method] !== undefined) throw new Error(`Two routes for ${route.method.toUpperCase()} ${route.path}`);
    pathItem[route.method] = operation;
  }

  const schemas = collector.finish();
  // Parameters are placed while the collector finishes; drop the lists that stayed empty.
  for (const [operation, parameters] of operationsWithParameters) {
    if (parameters.length === 0) delete operation.parameters;
  }
  const tokenUrl = options.tokenUrl ?? "/api/v1/auth/token";
  return {
    openapi: "3.1.0",
    info: {
      title: options.title ?? "Flexfleet partner API",
      version: options.version ?? "1.0.0",
      ...(options.description !== undefined ? { description: options.description } : {}),
    },
    servers: [{ url: options.serverUrl ?? "/api/v1" }],
    paths,
    components: {
      schemas,
      securitySchemes: {
        oauth2: {
          type: "oauth2",
          description: "OAuth2 client credentials: exchange a client id and secret for a bearer token that lasts an hour (configurable).",
          flows: { clientCredentials: { tokenUrl, scopes: { ...(options.scopes ?? {}) } } },
        },
        bearerAuth: { type: "http", scheme: "bearer", description: "The access token from the token endpoint." },
      },
    },
    ...(options.tags !== undefined ? { tags: options.tags } : {}),
  };
}
