// Access on a household's behalf: a partner's end-user token (POST /auth/component-token) that
// opens the household's pages, and the start of connecting the household's OEM account by
// signing in there (GET /entities/site/{site_id}/oauth/{provider}/initiate). The OEM's redirect
// back lands on app/api/oauth/[provider]/callback (server/api/oem-oauth-callback.ts).
import { z } from "zod";
import { defineRoute, type RouteDefinition } from "@/server/api/openapi/define-route";
import { errorWithDetailSchema, httpValidationErrorSchema, isoDateTimeSchema, uuidSchema } from "@/server/api/schemas/entities-common";
import { issueComponentToken } from "@/server/services/consent/component-tokens";
import { startOemAuthorization } from "@/server/services/credentials/oem-authorization";
import { restHandler, type OperationHandler } from "./rest-handler";

export const componentTokenRequestSchema = z
  .object({
    external_user_id: z.string().min(1).max(200).describe("Your id for the end user; the end user is created on first use"),
    allowed_origin: z.string().min(1).max(500).describe("The origin (scheme://host[:port]) of your app that shows the household's pages"),
    user_email: z.email().max(320).optional().describe("The end user's email: stored for a new end user, replaced for an existing one"),
    gave_boundary_meter_consent_at: isoDateTimeSchema
      .optional()
      .describe("When the household agreed to boundary-meter readings. Required on the first call for a new external_user_id; recorded on the end user's site when they have one"),
  })
  .meta({ id: "ComponentTokenRequest", description: "Who the end-user token is for." });

export const componentTokenSchema = z
  .object({
    id: uuidSchema.describe("Our id for the end user"),
    access_token: z.string().describe("Opens the household's pages (/consent/{access_token}, /intent/{access_token}) for 24 hours; it is not an API token"),
    token_type: z.literal("bearer"),
    expires_in: z.number().int().describe("Seconds until the token expires"),
  })
  .meta({ id: "ComponentToken", description: "A 24-hour token for one end user, and our id for them." });

/** The published provider list; which of them can be connected here is decided by the service (400 otherwise). */
export const OAUTH_PROVIDERS = ["foxess", "solaredge", "solax", "huawei", "myenergi", "nexblue", "givenergy", "volvo", "deye", "ideal"] as const;

export const oauthInitiateParamsSchema = z.object({
  site_id: uuidSchema,
  provider: z.enum(OAUTH_PROVIDERS).meta({ id: "OAuthProvider", description: "Manufacturer clouds a household can connect by signing in; FoxESS and GivEnergy are offered here" }),
});

export const oauthInitiateResponseSchema = z
  .object({ authorization_url: z.string().describe("Send the householder here to sign in at the manufacturer and approve access") })
  .meta({ id: "OAuthInitiateResponse", description: "Where the householder signs in to connect their manufacturer account." });

export const createComponentTokenRoute = defineRoute({
  method: "post",
  path: "/auth/component-token",
  operationId: "create_component_token_auth_component_token_post",
  summary: "Get a 24-hour token for one of your end users",
  description:
    "Creates the end user on first use (by external_user_id) and returns a token, valid 24 hours, that opens their household's pages: " +
    "the consent page /consent/{access_token} and the charging page /intent/{access_token} on the platform's address. " +
    "The token is bound to the end user's site (the newest one linked to them); until they have one the pages say so.",
  tags: ["Auth"],
  permission: "components:issue",
  request: { body: componentTokenRequestSchema, bodyContentType: "application/x-www-form-urlencoded" },
  responses: { 200: componentTokenSchema, 422: httpValidationErrorSchema },
});

export const initiateSiteOauthRoute = defineRoute({
  method: "get",
  path: "/entities/site/{site_id}/oauth/{provider}/initiate",
  operationId: "initiate_site_oauth_entities_site__site_id__oauth__provider__initiate_get",
  summary: "Start connecting the household's manufacturer account",
  description:
    "Returns the manufacturer's sign-in URL for the householder. After they approve, the manufacturer sends them back to the platform, which stores the credential " +
    "for the site (as POST /entities/site/{site_id}/token would) and shows them the outcome. The link works once, within 15 minutes unless configured otherwise.",
  tags: ["Sites"],
  permission: "credentials:connect",
  request: { params: oauthInitiateParamsSchema },
  responses: {
    200: oauthInitiateResponseSchema,
    400: { description: "This provider cannot be connected by signing in here (not offered or not configured), or the site was offboarded", schema: errorWithDetailSchema },
    404: { description: "Not found in your organisation", schema: errorWithDetailSchema },
    422: httpValidationErrorSchema,
  },
});

export const householdAccessHandlers: Record<string, OperationHandler> = {
  createComponentToken: restHandler({
    route: createComponentTokenRoute,
    handler: async ({ ctx, body }) => {
      const issued = await issueComponentToken(ctx, {
        externalUserId: body.external_user_id,
        allowedOrigin: body.allowed_origin,
        userEmail: body.user_email,
        gaveBoundaryMeterConsentAt: body.gave_boundary_meter_consent_at === undefined ? undefined : new Date(body.gave_boundary_meter_consent_at),
      });
      return {
        status: 200,
        body: { id: issued.customerId, access_token: issued.accessToken, token_type: "bearer", expires_in: Math.round((issued.expiresAt.getTime() - Date.now()) / 1000) },
      };
    },
  }),
  initiateSiteOauth: restHandler({
    route: initiateSiteOauthRoute,
    errorStatus: { PRECONDITION: 400 },
    handler: async ({ ctx, params }) => {
      const started = await startOemAuthorization(ctx, { siteId: params.site_id, provider: params.provider });
      return { status: 200, body: { authorization_url: started.authorizationUrl } };
    },
  }),
};

export const householdAccessRoutes: readonly RouteDefinition[] = [createComponentTokenRoute, initiateSiteOauthRoute];
