// The token endpoints: OAuth2 client credentials (form or JSON, or HTTP Basic) and
// the entities dialect's username/password form. Both issue the same bearer tokens.
import { z } from "zod";
import { errorWithDetailSchema, httpValidationErrorSchema } from "@/server/api/schemas/entities-common";
import { defineRoute } from "@/server/api/openapi/define-route";
import { clientAddress } from "@/server/auth/client-address";
import { issueApiToken } from "@/server/services/api-clients/api-clients";
import { errorResponse, jsonResponse, parseRequestPart, readFormFields, RequestRejected } from "./rest-handler";

const MAX_TOKEN_REQUEST_BYTES = 16 * 1024;

export const tokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal("bearer"),
    expires_in: z.number().int().describe("Seconds until the token expires"),
    scope: z.string().describe("Granted scopes, space-separated"),
  })
  .meta({ id: "Token", description: "A bearer token for the organisation the client belongs to." });

export const clientCredentialsRequestSchema = z
  .object({
    grant_type: z.literal("client_credentials").default("client_credentials"),
    client_id: z.string().min(1).max(200).optional().describe("Required unless sent with HTTP Basic authentication"),
    client_secret: z.string().min(1).max(500).optional().describe("Required unless sent with HTTP Basic authentication"),
    scope: z.string().max(1000).optional().describe("Space-separated scopes to ask for; all of the client's by default"),
  })
  .meta({ id: "ClientCredentialsRequest", description: "OAuth2 client credentials grant." });

export const tokenFormRequestSchema = z
  .object({
    username: z.string().min(1).max(200).describe("The client id"),
    password: z.string().min(1).max(500).describe("The client secret"),
    grant_type: z.string().optional().describe("Ignored; accepted for OAuth2 password-form clients"),
    scope: z.string().max(1000).optional(),
  })
  .meta({ id: "TokenFormRequest", description: "Client id and secret as a login form." });

const tokenResponses = {
  200: tokenResponseSchema,
  401: { description: "Unknown client or wrong secret", schema: errorWithDetailSchema },
  429: { description: "Too many failed attempts for this client or from this address; `Retry-After` says when to try again", schema: errorWithDetailSchema },
  413: { description: "Request body too large", schema: errorWithDetailSchema },
  422: httpValidationErrorSchema,
} as const;

export const issueTokenRoute = defineRoute({
  method: "post",
  path: "/auth/token",
  operationId: "issueToken",
  summary: "Get a bearer token (OAuth2 client credentials)",
  description: "Form-encoded or JSON body; the client id and secret may also come as HTTP Basic authentication. Tokens last 1 hour unless API_TOKEN_TTL_SECONDS says otherwise.",
  tags: ["Auth"],
  permission: null,
  request: { body: clientCredentialsRequestSchema, bodyContentType: "application/x-www-form-urlencoded" },
  responses: tokenResponses,
});

export const issueTokenFormRoute = defineRoute({
  method: "post",
  path: "/auth/token-form",
  operationId: "login_for_access_token_form_auth_token_form_post",
  summary: "Get a bearer token (username = client id, password = secret)",
  tags: ["Auth"],
  permission: null,
  request: { body: tokenFormRequestSchema, bodyContentType: "application/x-www-form-urlencoded" },
  responses: tokenResponses,
});

export const authRoutes = [issueTokenRoute, issueTokenFormRoute] as const;

/** HTTP Basic client credentials (percent-decoded, as RFC 6749 §2.3.1 asks), checked like body fields. */
function basicCredentials(headers: Headers): { client_id: string; client_secret: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(headers.get("authorization") ?? "");
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  const formDecode = (value: string) => {
    try {
      return decodeURIComponent(value);
    } catch {
      throw new RequestRejected({ status: 401, body: { detail: "The Basic credentials are not correctly encoded." }, headers: { "www-authenticate": "Basic" } });
    }
  };
  const credentials = { client_id: formDecode(decoded.slice(0, colon)), client_secret: formDecode(decoded.slice(colon + 1)) };
  return parseRequestPart(clientCredentialsRequestSchema.pick({ client_id: true, client_secret: true }).required(), credentials, "header");
}

const parseFields = <S extends z.ZodType>(schema: S, fields: unknown): z.output<S> => parseRequestPart(schema, fields, "body");

async function tokenReply(request: Request, clientId: string, clientSecret: string, scope: string | undefined): Promise<Response> {
  const scopes = scope?.split(/\s+/).filter(Boolean);
  const issued = await issueApiToken({ clientId, clientSecret, clientAddress: clientAddress(request.headers), ...(scopes ? { scopes } : {}) });
  return jsonResponse(200, { access_token: issued.accessToken, token_type: "bearer", expires_in: issued.expiresInSeconds, scope: issued.scopes.join(" ") });
}

export async function issueTokenHandler(request: Request): Promise<Response> {
  try {
    const fields = parseFields(clientCredentialsRequestSchema, await readFormFields(request, MAX_TOKEN_REQUEST_BYTES));
    const basic = basicCredentials(request.headers);
    const clientId = fields.client_id ?? basic?.client_id;
    const clientSecret = fields.client_secret ?? basic?.client_secret;
    if (clientId === undefined || clientSecret === undefined) {
      const missing = [clientId === undefined ? "client_id" : null, clientSecret === undefined ? "client_secret" : null].filter((field): field is string => field !== null);
      return jsonResponse(422, { detail: missing.map((field) => ({ loc: ["body", field], msg: "Field required", type: "missing" })) });
    }
    return await tokenReply(request, clientId, clientSecret, fields.scope);
  } catch (error) {
    return errorResponse(error, issueTokenRoute.operationId);
  }
}

export async function issueTokenFormHandler(request: Request): Promise<Response> {
  try {
    const fields = parseFields(tokenFormRequestSchema, await readFormFields(request, MAX_TOKEN_REQUEST_BYTES));
    return await tokenReply(request, fields.username, fields.password, fields.scope);
  } catch (error) {
    return errorResponse(error, issueTokenFormRoute.operationId);
  }
}
