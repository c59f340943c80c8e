// The partner REST routes, by operationId. Handlers attach to these definitions;
// the OpenAPI document is generated from the same list.
import { z } from "zod";
import {
  assetExternalIdParamsSchema,
  assetListQuerySchema,
  assetRequestSchema,
  assetResponsePageSchema,
  assetResponseSchema,
  assetUpdateRequestSchema,
} from "@/server/api/schemas/entities-asset";
import {
  assetIdParamsSchema,
  errorWithDetailSchema,
  httpValidationErrorSchema,
  siteIdParamsSchema,
} from "@/server/api/schemas/entities-common";
import {
  eligibilityCheckRequestSchema,
  eligibilityCheckResponseSchema,
  initialiseRequestSchema,
  initialiseResponseSchema,
  siteEligibilityDetailSchema,
} from "@/server/api/schemas/entities-initialise";
import {
  siteListQuerySchema,
  siteRequestSchema,
  siteResponsePageSchema,
  siteResponseSchema,
  siteUpdateRequestSchema,
} from "@/server/api/schemas/entities-site";
import {
  createMeterResponseSchema,
  createResourceResponseSchema,
  meterListResponseSchema,
  meterRequestSchema,
  resourceRequestSchema,
  userIdParamsSchema,
  vehicleListResponseSchema,
} from "@/server/api/schemas/energy-coordination";
import {
  mpanValidationErrorSchema,
  mpanValidationRequestSchema,
  mpanValidationResponseSchema,
} from "@/server/api/schemas/validation-mpan";
import { type RouteDefinition, defineRoute } from "./define-route";

const notFound = { description: "Not found in your organisation", schema: errorWithDetailSchema };
const siteTags = ["Sites"] as const;
const assetTags = ["Assets"] as const;
const userTags = ["Users"] as const;

export const listSites = defineRoute({
  method: "get",
  path: "/entities/site",
  operationId: "get_sites_entities_site_get",
  summary: "List sites",
  description: "A page of the organisation's sites, optionally filtered by MPAN or postcode.",
  tags: siteTags,
  permission: "sites:read",
  request: { query: siteListQuerySchema },
  responses: { 200: siteResponsePageSchema, 422: httpValidationErrorSchema },
});

export const createSite = defineRoute({
  method: "post",
  path: "/entities/site",
  operationId: "create_site_entities_site_post",
  summary: "Create a site",
  description: "Registers a site. A site with the same MPAN and address already in the organisation is a 409 naming it.",
  tags: siteTags,
  permission: "sites:write",
  request: { body: siteRequestSchema },
  responses: {
    200: siteResponseSchema,
    409: { description: "The site already exists", schema: errorWithDetailSchema },
    422: {
      description: "The request did not pass validation, or a rule refused it",
      schema: z.union([httpValidationErrorSchema, errorWithDetailSchema]),
    },
  },
});

export const getSite = defineRoute({
  method: "get",
  path: "/entities/site/{site_id}",
  operationId: "get_site_entities_site__site_id__get",
  summary: "Get a site",
  tags: siteTags,
  permission: "sites:read",
  request: { params: siteIdParamsSchema },
  responses: { 200: siteResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const updateSite = defineRoute({
  method: "patch",
  path: "/entities/site/{site_id}",
  operationId: "update_site_entities_site__site_id__patch",
  summary: "Change a site",
  description: "Changes only the fields sent.",
  tags: siteTags,
  permission: "sites:write",
  request: { params: siteIdParamsSchema, body: siteUpdateRequestSchema },
  responses: {
    200: siteResponseSchema,
    404: notFound,
    409: { description: "Another site in the organisation already has this MPAN and address", schema: errorWithDetailSchema },
    422: httpValidationErrorSchema,
  },
});

export const deleteSite = defineRoute({
  method: "delete",
  path: "/entities/site/{site_id}",
  operationId: "delete_site_entities_site__site_id__delete",
  summary: "Delete a site",
  description: "Only a site with no assets can be deleted; offboard a site that has them.",
  tags: siteTags,
  permission: "sites:write",
  request: { params: siteIdParamsSchema },
  responses: {
    204: { description: "Deleted" },
    400: { description: "The site still has assets", schema: errorWithDetailSchema },
    404: notFound,
    422: httpValidationErrorSchema,
  },
});

export const initialiseSite = defineRoute({
  method: "post",
  path: "/entities/site/initialise",
  operationId: "initialise_site_entities_site_initialise_post",
  summary: "Create or complete a site and its assets",
  description:
    "Idempotent: the site is matched on MPAN, each asset on external_id; missing fields are filled in and listed in fields_updated. Returns warnings and eligibility; enrols nothing.",
  tags: siteTags,
  permission: "sites:write",
  request: { body: initialiseRequestSchema },
  responses: { 200: initialiseResponseSchema, 422: httpValidationErrorSchema },
});

export const checkEligibility = defineRoute({
  method: "post",
  path: "/entities/site/check-eligibility",
  operationId: "check_eligibility_entities_site_check_eligibility_post",
  summary: "Would an MPAN and charger model qualify?",
  description: "A what-if check; nothing is stored.",
  tags: siteTags,
  permission: "sites:read",
  request: { body: eligibilityCheckRequestSchema },
  responses: { 200: eligibilityCheckResponseSchema, 422: httpValidationErrorSchema },
});

export const getSiteEligibility = defineRoute({
  method: "get",
  path: "/entities/site/{site_id}/eligibility",
  operationId: "get_site_eligibility_entities_site__site_id__eligibility_get",
  summary: "Eligibility of a site and its assets",
  tags: siteTags,
  permission: "sites:read",
  request: { params: siteIdParamsSchema },
  responses: { 200: siteEligibilityDetailSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const listAssets = defineRoute({
  method: "get",
  path: "/entities/asset",
  operationId: "get_assets_entities_asset_get",
  summary: "List assets",
  tags: assetTags,
  permission: "sites:read",
  request: { query: assetListQuerySchema },
  responses: { 200: assetResponsePageSchema, 422: httpValidationErrorSchema },
});

export const createAsset = defineRoute({
  method: "post",
  path: "/entities/asset",
  operationId: "create_asset_entities_asset_post",
  summary: "Create an asset at a site",
  tags: assetTags,
  permission: "sites:write",
  request: { body: assetRequestSchema },
  responses: {
    200: assetResponseSchema,
    404: { description: "The site does not exist in your organisation", schema: errorWithDetailSchema },
    409: { description: "An asset with this external_id already exists", schema: errorWithDetailSchema },
    422: httpValidationErrorSchema,
  },
});

export const getAsset = defineRoute({
  method: "get",
  path: "/entities/asset/{asset_id}",
  operationId: "get_asset_entities_asset__asset_id__get",
  summary: "Get an asset",
  tags: assetTags,
  permission: "sites:read",
  request: { params: assetIdParamsSchema },
  responses: { 200: assetResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const updateAsset = defineRoute({
  method: "patch",
  path: "/entities/asset/{asset_id}",
  operationId: "update_asset_entities_asset__asset_id__patch",
  summary: "Change an asset",
  description: "Changes only the fields sent; properties are checked against the asset's type.",
  tags: assetTags,
  permission: "sites:write",
  request: { params: assetIdParamsSchema, body: assetUpdateRequestSchema },
  responses: { 200: assetResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const deleteAsset = defineRoute({
  method: "delete",
  path: "/entities/asset/{asset_id}",
  operationId: "delete_asset_entities_asset__asset_id__delete",
  summary: "Delete an asset",
  tags: assetTags,
  permission: "sites:write",
  request: { params: assetIdParamsSchema },
  responses: { 204: { description: "Deleted" }, 404: notFound, 422: httpValidationErrorSchema },
});

export const getAssetByExternalId = defineRoute({
  method: "get",
  path: "/entities/asset/external-id/{external_id}",
  operationId: "get_asset_by_external_id_entities_asset_external_id__external_id__get",
  summary: "Get an asset by your id for it",
  tags: assetTags,
  permission: "sites:read",
  request: { params: assetExternalIdParamsSchema },
  responses: { 200: assetResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const validateMpan = defineRoute({
  method: "post",
  path: "/validation/mpan",
  operationId: "validate_mpan_validation_mpan_post",
  summary: "Check an MPAN",
  description: "200 when the MPAN is 13 digits with a valid check digit; 400 lists what is wrong.",
  tags: ["Validation"],
  permission: "sites:read",
  request: { body: mpanValidationRequestSchema },
  responses: {
    200: mpanValidationResponseSchema,
    400: { description: "The MPAN is malformed", schema: mpanValidationErrorSchema },
    404: { description: "No connected import meter is known for the MPAN", schema: mpanValidationErrorSchema },
    422: httpValidationErrorSchema,
  },
});

export const listVehicles = defineRoute({
  method: "get",
  path: "/users/{userId}/vehicles",
  operationId: "listVehicles",
  summary: "List a user's vehicles",
  tags: userTags,
  permission: "users:read",
  request: { params: userIdParamsSchema },
  responses: { 200: vehicleListResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const createMeter = defineRoute({
  method: "post",
  path: "/users/{userId}/meters",
  operationId: "createMeter",
  summary: "Register a user's meter",
  tags: userTags,
  permission: "users:write",
  request: { params: userIdParamsSchema, body: meterRequestSchema },
  responses: { 201: createMeterResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const listMeters = defineRoute({
  method: "get",
  path: "/users/{userId}/meters",
  operationId: "listMeters",
  summary: "List a user's meters",
  tags: userTags,
  permission: "users:read",
  request: { params: userIdParamsSchema },
  responses: { 200: meterListResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const createResource = defineRoute({
  method: "post",
  path: "/users/{userId}/resources",
  operationId: "createResource",
  summary: "Register a user's resource",
  tags: userTags,
  permission: "users:write",
  request: { params: userIdParamsSchema, body: resourceRequestSchema },
  responses: { 201: createResourceResponseSchema, 404: notFound, 422: httpValidationErrorSchema },
});

export const inventoryRoutes = [
  listSites,
  createSite,
  getSite,
  updateSite,
  deleteSite,
  initialiseSite,
  checkEligibility,
  getSiteEligibility,
  listAssets,
  createAsset,
  getAsset,
  updateAsset,
  deleteAsset,
  getAssetByExternalId,
  validateMpan,
  listVehicles,
  createMeter,
  listMeters,
  createResource,
] as const satisfies readonly RouteDefinition[];

export { assetEventRoutes, enrolmentRoutes, readingAndRewardRoutes } from "./routes-enrolment-events";
