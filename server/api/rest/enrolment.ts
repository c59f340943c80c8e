// Handlers of the entities dialect's consent, enrolment, onboarding and offboarding
// routes, plus the consent-link extension: validate (done by the adapter), call one
// service, shape the reply.
import { createHash } from "node:crypto";
import { z } from "zod";
import { defineRoute, type RouteDefinition } from "@/server/api/openapi/define-route";
import { enrolmentRoutes } from "@/server/api/openapi/routes";
import { errorWithDetailSchema, httpValidationErrorSchema, isoDateTimeSchema, siteIdParamsSchema } from "@/server/api/schemas/entities-common";
import { createConsentLink } from "@/server/services/consent/consent-links";
import { currentDispatchMethods, recordDispatchConsent, recordMeterConsent } from "@/server/services/consent/site-consents";
import type { ServiceContext } from "@/server/services/context";
import { enrolSite, unenrolSite } from "@/server/services/enrolment/enrolment";
import { onboardSite, onboardSiteAndAsset } from "@/server/services/enrolment/onboard";
import { getAsset } from "@/server/services/inventory/assets";
import { getSite } from "@/server/services/inventory/sites";
import { offboardSite } from "@/server/services/offboarding/offboard-site";
import { restHandler } from "./rest-handler";
import { assetFromWire, assetToWire, initialiseResultToWire, parseDate, siteFromWire, siteToWire } from "./wire";

type EnrolmentOperationId = (typeof enrolmentRoutes)[number]["operationId"];
function route<const Id extends EnrolmentOperationId>(operationId: Id): Extract<(typeof enrolmentRoutes)[number], { operationId: Id }> {
  const found = enrolmentRoutes.find((candidate) => candidate.operationId === operationId);
  if (!found) throw new Error(`No route ${operationId}`);
  return found as Extract<(typeof enrolmentRoutes)[number], { operationId: Id }>;
}

export const createConsentLinkRoute = defineRoute({
  method: "post",
  path: "/entities/site/{site_id}/consent-link",
  operationId: "createSiteConsentLink",
  summary: "Create a householder consent link",
  description: "A signed link the household opens without an account to agree to, or withdraw from, each proposition. It expires and is revoked when the site is offboarded.",
  tags: ["Consent"],
  permission: "consent:write",
  request: {
    params: siteIdParamsSchema,
    body: z
      .object({ ttl_hours: z.number().positive().max(720).optional().describe("How long the link works; CONSENT_LINK_TTL_HOURS (72 by default) unless given") })
      .meta({ id: "ConsentLinkRequest", description: "Options for a householder consent link." }),
  },
  responses: {
    200: z
      .object({ url: z.string().describe("The page to send the household"), expires_at: isoDateTimeSchema })
      .meta({ id: "ConsentLinkResponse", description: "A signed, expiring householder consent link." }),
    404: { description: "Not found in your organisation", schema: errorWithDetailSchema },
    422: httpValidationErrorSchema,
  },
});

/** The enrolment routes with handlers here; the OEM token route belongs to the battery work. */
export const implementedEnrolmentRoutes: readonly RouteDefinition[] = [
  ...enrolmentRoutes.filter((candidate) => candidate.operationId !== "add_site_auth_token_entities_site__site_id__token_post"),
  createConsentLinkRoute,
];

/**
 * The partner's request as evidence of the consent it records. The consent ledger is
 * append-only and outlives offboarding's anonymisation, so the body is kept as its SHA-256
 * (it proves which request it was) with only its non-personal choices in clear.
 */
function requestEvidence(request: Request, body: Record<string, unknown>) {
  const choices = Object.fromEntries(Object.entries(body).filter(([key]) => ["proposition", "override_withdrawal", "dispatch_methods"].includes(key)));
  const bodySha256 = createHash("sha256").update(JSON.stringify(body)).digest("hex");
  return { request: { method: request.method, path: new URL(request.url).pathname, bodySha256, ...choices } };
}

async function siteWithConsents(ctx: ServiceContext, siteId: string) {
  const site = await getSite(ctx, { siteId });
  return { ...siteToWire(site), dispatch_methods: await currentDispatchMethods(ctx, siteId) };
}

async function siteAndFirstAsset(ctx: ServiceContext, siteId: string, options: { includeOffboarded?: boolean } = {}) {
  const site = await getSite(ctx, { siteId, ...options });
  const first = site.assets[0];
  const asset = first === undefined ? undefined : await getAsset(ctx, { assetId: first.id, ...options });
  return { site: { ...siteToWire(site), dispatch_methods: await currentDispatchMethods(ctx, siteId) }, ...(asset ? { asset: assetToWire(asset) } : {}) };
}

export const enrolmentHandlers = {
  addSiteMeterConsent: restHandler({
    route: route("add_site_meter_consent_entities_site__site_id__meter_consent_post"),
    handler: async ({ ctx, params, body }) => {
      await recordMeterConsent(ctx, { siteId: params.site_id, gaveAt: new Date(body.gave_boundary_meter_consent_at) });
      return { status: 200, body: await siteWithConsents(ctx, params.site_id) };
    },
  }),

  addSiteDispatchConsent: restHandler({
    route: route("add_site_dispatch_consent_entities_site__site_id__dispatch_consent_post"),
    handler: async ({ ctx, params, body, request }) => {
      await recordDispatchConsent(ctx, { siteId: params.site_id, methods: body.dispatch_methods, action: "granted", evidence: requestEvidence(request, body) });
      return { status: 200, body: await siteWithConsents(ctx, params.site_id) };
    },
  }),

  removeSiteDispatchConsent: restHandler({
    route: route("remove_site_dispatch_consent_entities_site__site_id__dispatch_deconsent_post"),
    handler: async ({ ctx, params, body, request }) => {
      await recordDispatchConsent(ctx, { siteId: params.site_id, methods: body.dispatch_methods, action: "withdrawn", evidence: requestEvidence(request, body) });
      return { status: 200, body: await siteWithConsents(ctx, params.site_id) };
    },
  }),

  enrolSite: restHandler({
    route: route("enrol_site_entities_site__site_id__enrol_post"),
    handler: async ({ ctx, params, body, request }) => {
      const result = await enrolSite(ctx, {
        siteId: params.site_id,
        proposition: body.proposition,
        overrideWithdrawal: body.override_withdrawal,
        gaveBoundaryMeterConsentAt: parseDate(body.gave_boundary_meter_consent_at),
        consentEvidence: requestEvidence(request, body),
      });
      return { status: 200, body: { site_id: params.site_id, status: result.status } };
    },
  }),

  unenrolSite: restHandler({
    route: route("unenrol_site_entities_site__site_id__unenrol_post"),
    handler: async ({ ctx, params, body }) => {
      const result = await unenrolSite(ctx, { siteId: params.site_id, proposition: body.proposition });
      return { status: 200, body: { site_id: params.site_id, status: result.status } };
    },
  }),

  onboardSite: restHandler({
    route: route("onboard_entities_site_onboard_post"),
    handler: async ({ ctx, body, request }) => {
      const result = await onboardSite(ctx, {
        site: siteFromWire(body.site),
        assets: body.assets.map(assetFromWire),
        proposition: body.proposition,
        overrideWithdrawal: body.override_withdrawal,
        consentEvidence: requestEvidence(request, body),
      });
      return { status: 200, body: { ...initialiseResultToWire(result), enrolment: { site_id: result.enrolment.siteId, status: result.enrolment.status } } };
    },
  }),

  onboardSiteAndAsset: restHandler({
    route: route("onboard_site_and_asset_entities_site_onboard_site_and_asset_post"),
    handler: async ({ ctx, body }) => {
      const result = await onboardSiteAndAsset(ctx, { site: siteFromWire(body.site), asset: assetFromWire(body.asset), dispatchMethods: body.dispatch_consent.dispatch_methods });
      return { status: 200, body: await siteAndFirstAsset(ctx, result.siteId) };
    },
  }),

  offboardSiteAndAssets: restHandler({
    route: route("offboard_site_and_assets_entities_site__site_id__offboard_site_and_assets_post"),
    handler: async ({ ctx, params }) => {
      const result = await offboardSite(ctx, { siteId: params.site_id, reason: "Offboarded through the partner API" });
      const summary = {
        nothing_left_to_do: result.nothingLeftToDo,
        consents_withdrawn: result.consentsWithdrawn,
        enrolments_ended: result.enrolmentsEnded,
        actions_cancelled: result.actionsCancelled,
        credentials_deleted: result.credentialsDeleted,
        personal_data_removed: result.personalDataRemoved,
        retain_until: result.retainUntil.toISOString(),
      };
      // The documented body is the site and its asset; what was done travels in a header.
      return { status: 200, body: await siteAndFirstAsset(ctx, params.site_id, { includeOffboarded: true }), headers: { "x-offboarding-summary": JSON.stringify(summary) } };
    },
  }),

  createSiteConsentLink: restHandler({
    route: createConsentLinkRoute,
    handler: async ({ ctx, params, body }) => {
      const link = await createConsentLink(ctx, { siteId: params.site_id, ...(body.ttl_hours !== undefined ? { ttlHours: body.ttl_hours } : {}) });
      return { status: 200, body: { url: link.url, expires_at: link.expiresAt.toISOString() } };
    },
  }),
};
