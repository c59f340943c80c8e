// Contract checking: validates a body against what the published document promises
// for one operation and status, the way an outside client would read it.
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { JsonSchema, OpenApiDocument } from "./build-document";

const COMPONENTS_ID = "urn:flexfleet:openapi:components";
const COMPONENTS_PREFIX = "#/components/schemas/";

export type ContractCheck = { valid: true } | { valid: false; errors: string[] };

type Validators = { ajv: Ajv2020; compiled: Map<string, ValidateFunction> };
const validatorsByDocument = new WeakMap<OpenApiDocument, Validators>();

function pointAtComponents(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pointAtComponents);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) =>
      key === "$ref" && typeof child === "string" && child.startsWith(COMPONENTS_PREFIX)
        ? [key, `${COMPONENTS_ID}#/$defs/${child.slice(COMPONENTS_PREFIX.length)}`]
        : [key, pointAtComponents(child)],
    ),
  );
}

function validatorsFor(document: OpenApiDocument): Validators {
  const existing = validatorsByDocument.get(document);
  if (existing !== undefined) return existing;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: pointAtComponents(document.components.schemas) });
  const validators = { ajv, compiled: new Map<string, ValidateFunction>() };
  validatorsByDocument.set(document, validators);
  return validators;
}

function templateMatches(template: string, path: string): boolean {
  const pattern = template
    .split("/")
    .map((segment) => (/^\{[^}]+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^$()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${pattern}$`).test(path);
}

/** Finds the document path for a concrete or templated request path (with or without /api/v1). */
export function matchOpenApiPath(document: OpenApiDocument, method: string, path: string): string | undefined {
  const bare = path.split("?")[0]?.replace(/^\/api\/v1(?=\/)/, "") ?? path;
  const candidates = Object.keys(document.paths).filter((template) => document.paths[template]?.[method.toLowerCase()] !== undefined);
  // Literal segments win over parameters, e.g. /entities/site/initialise over /entities/site/{site_id}.
  const exact = candidates.find((template) => template === bare);
  if (exact !== undefined) return exact;
  return candidates
    .filter((template) => templateMatches(template, bare))
    .sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0))[0];
}

function compile(document: OpenApiDocument, key: string, schema: JsonSchema): ValidateFunction {
  const { ajv, compiled } = validatorsFor(document);
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const validate = ajv.compile(pointAtComponents(schema) as JsonSchema);
  compiled.set(key, validate);
  return validate;
}

/**
 * Checks that `body` is what the document promises for `method path` answering `status`.
 * Fails when the operation or status is not documented, or when a body is sent for a
 * response documented without one.
 */
export function validateAgainstOpenApi(
  document: OpenApiDocument,
  method: string,
  path: string,
  status: number,
  body: unknown,
  contentType = "application/json",
): ContractCheck {
  const template = matchOpenApiPath(document, method, path);
  if (template === undefined) return { valid: false, errors: [`No operation ${method.toUpperCase()} ${path}`] };
  const operation = document.paths[template]?.[method.toLowerCase()] as { responses?: Record<string, JsonSchema> } | undefined;
  const response = operation?.responses?.[String(status)] ?? operation?.responses?.default;
  if (response === undefined) {
    return { valid: false, errors: [`Status ${status} is not documented for ${method.toUpperCase()} ${template}`] };
  }
  const content = response.content as Record<string, { schema?: JsonSchema }> | undefined;
  const schema = content?.[contentType]?.schema;
  if (schema === undefined) {
    const empty = body === undefined || body === null || body === "";
    return empty ? { valid: true } : { valid: false, errors: [`${status} is documented without a ${contentType} body`] };
  }
  const validate = compile(document, `${method} ${template} ${status} ${contentType}`, schema);
  if (validate(body)) return { valid: true };
  return {
    valid: false,
    errors: (validate.errors ?? []).map((error) => `${error.instancePath || "(root)"} ${error.message ?? "is invalid"}`),
  };
}

/** Same check for a request body, as a partner's client would build it. */
export function validateRequestAgainstOpenApi(
  document: OpenApiDocument,
  method: string,
  path: string,
  body: unknown,
  contentType = "application/json",
): ContractCheck {
  const template = matchOpenApiPath(document, method, path);
  if (template === undefined) return { valid: false, errors: [`No operation ${method.toUpperCase()} ${path}`] };
  const operation = document.paths[template]?.[method.toLowerCase()] as { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } } | undefined;
  const schema = operation?.requestBody?.content?.[contentType]?.schema;
  if (schema === undefined) return { valid: false, errors: [`${method.toUpperCase()} ${template} takes no ${contentType} body`] };
  const validate = compile(document, `request ${method} ${template} ${contentType}`, schema);
  if (validate(body)) return { valid: true };
  return {
    valid: false,
    errors: (validate.errors ?? []).map((error) => `${error.instancePath || "(root)"} ${error.message ?? "is invalid"}`),
  };
}
