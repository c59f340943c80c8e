// Handlers of the entities dialect's inventory routes and the energy-coordination
// dialect's user routes: validate (done by the adapter), call one service, shape the reply.
import * as routes from "@/server/api/openapi/routes";
import { pageFields } from "@/server/api/schemas/entities-common";
import { eligibilityToWire, propositionVerdictsToWire } from "@/server/api/schemas/entities-initialise";
import { normaliseMpan } from "@/server/domain/inventory";
import { createAsset, deleteAsset, getAsset, getAssetByExternalId, listAssets, updateAsset } from "@/server/services/inventory/assets";
import { addMeter, addResource, listMeters, listVehicles } from "@/server/services/inventory/customers";
import { checkEligibilityQuick, getSiteEligibility } from "@/server/services/inventory/eligibility";
import { initialiseSite } from "@/server/services/inventory/initialise";
import { createSite, deleteSite, getSite, listSites, updateSite } from "@/server/services/inventory/sites";
import { restHandler } from "./rest-handler";
import { assetDetailsFromWire, assetFromWire, assetToWire, initialiseResultToWire, siteFromWire, siteToWire } from "./wire";

export const inventoryHandlers = {
  listSites: restHandler({
    route: routes.listSites,
    handler: async ({ ctx, query }) => {
      const page = await listSites(ctx, { limit: query.limit, offset: query.offset, mpan: query.mpan, postcode: query.postcode });
      return {
        status: 200,
        body: { sites: page.items.map(siteToWire), total_num_sites: page.total, ...pageFields(page.total, query) },
      };
    },
  }),

  createSite: restHandler({
    route: routes.createSite,
    handler: async ({ ctx, body }) => {
      const site = await createSite(ctx, siteFromWire(body));
      return { status: 200, body: siteToWire(site) };
    },
  }),

  getSite: restHandler({
    route: routes.getSite,
    handler: async ({ ctx, params }) => ({ status: 200, body: siteToWire(await getSite(ctx, { siteId: params.site_id })) }),
  }),

  updateSite: restHandler({
    route: routes.updateSite,
    handler: async ({ ctx, params, body }) => {
      const site = await updateSite(ctx, {
        siteId: params.site_id,
        mpan: body.mpan,
        postcode: body.postcode,
        streetAddress: body.address,
        email: body.email,
        isHalfHourlySettled: body.is_half_hourly_settled,
        timeZone: body.time_zone,
        tariff:
          body.tariff === undefined
            ? undefined
            : { tariffType: body.tariff.tariff_type, cheapStartTime: body.tariff.tariff_cheap_start_time, cheapEndTime: body.tariff.tariff_cheap_end_time },
      });
      return { status: 200, body: siteToWire(site) };
    },
  }),

  deleteSite: restHandler({
    route: routes.deleteSite,
    // The dialect answers a site that still has assets with 400.
    errorStatus: { PRECONDITION: 400 },
    handler: async ({ ctx, params }) => {
      await deleteSite(ctx, { siteId: params.site_id });
      return { status: 204 };
    },
  }),

  initialiseSite: restHandler({
    route: routes.initialiseSite,
    handler: async ({ ctx, body }) => {
      const result = await initialiseSite(ctx, { site: siteFromWire(body.site), assets: body.assets.map(assetFromWire) });
      return { status: 200, body: { ...initialiseResultToWire(result), eligibility: eligibilityToWire(result.site.siteId, result.eligibility) } };
    },
  }),

  checkEligibility: restHandler({
    route: routes.checkEligibility,
    handler: async ({ ctx, body }) => {
      const result = await checkEligibilityQuick(ctx, { mpan: body.mpan, assetModel: body.asset_model });
      return { status: 200, body: { is_half_hourly_settled: result.isHalfHourlySettled, propositions: propositionVerdictsToWire(result.verdicts) } };
    },
  }),

  getSiteEligibility: restHandler({
    route: routes.getSiteEligibility,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: eligibilityToWire(params.site_id, await getSiteEligibility(ctx, { siteId: params.site_id })),
    }),
  }),

  listAssets: restHandler({
    route: routes.listAssets,
    handler: async ({ ctx, query }) => {
      const page = await listAssets(ctx, { limit: query.limit, offset: query.offset });
      return { status: 200, body: { assets: page.items.map(assetToWire), total_num_assets: page.total, ...pageFields(page.total, query) } };
    },
  }),

  createAsset: restHandler({
    route: routes.createAsset,
    handler: async ({ ctx, body }) => {
      const asset = await createAsset(ctx, { siteId: body.site_id, externalId: body.external_id, type: body.type, ...assetDetailsFromWire(body) });
      return { status: 200, body: assetToWire(asset) };
    },
  }),

  getAsset: restHandler({
    route: routes.getAsset,
    handler: async ({ ctx, params }) => ({ status: 200, body: assetToWire(await getAsset(ctx, { assetId: params.asset_id })) }),
  }),

  updateAsset: restHandler({
    route: routes.updateAsset,
    handler: async ({ ctx, params, body }) => {
      const asset = await updateAsset(ctx, { assetId: params.asset_id, ...assetDetailsFromWire(body) });
      return { status: 200, body: assetToWire(asset) };
    },
  }),

  deleteAsset: restHandler({
    route: routes.deleteAsset,
    handler: async ({ ctx, params }) => {
      await deleteAsset(ctx, { assetId: params.asset_id });
      return { status: 204 };
    },
  }),

  getAssetByExternalId: restHandler({
    route: routes.getAssetByExternalId,
    handler: async ({ ctx, params }) => ({ status: 200, body: assetToWire(await getAssetByExternalId(ctx, { externalId: params.external_id })) }),
  }),

  validateMpan: restHandler({
    route: routes.validateMpan,
    handler: async ({ body }) => {
      const result = normaliseMpan(body.mpan);
      if (!result.ok) return { status: 400, body: { detail: [result.message] } };
      if (!result.checkDigitValid) return { status: 400, body: { detail: ["MPAN check digit does not match"] } };
      return { status: 200, body: { isValid: true } };
    },
  }),

  listVehicles: restHandler({
    route: routes.listVehicles,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: (await listVehicles(ctx, params.userId)).map((vehicle) => ({
        vehicleId: vehicle.externalId,
        metadata: {
          resourceType: "Vehicle" as const,
          brand: vehicle.brand,
          model: vehicle.model,
          ...(vehicle.year !== null ? { year: vehicle.year } : {}),
          ...(vehicle.vin !== null ? { vin: vehicle.vin } : {}),
        },
      })),
    }),
  }),

  createMeter: restHandler({
    route: routes.createMeter,
    handler: async ({ ctx, params, body }) => {
      const result = await addMeter(ctx, params.userId, {
        meterPointId: body.meterPointId,
        meterNumber: body.meterNumber,
        street: body.address.street,
        city: body.address.city,
        zipCode: body.address.zipCode,
        latitude: body.location?.latitude,
        longitude: body.location?.longitude,
        locationType: body.locationType,
      });
      return { status: 201, body: result };
    },
  }),

  listMeters: restHandler({
    route: routes.listMeters,
    handler: async ({ ctx, params }) => ({
      status: 200,
      body: (await listMeters(ctx, params.userId)).map((meter) => ({
        meterId: meter.id,
        address: {
          street: meter.street,
          ...(meter.city !== null ? { city: meter.city } : {}),
          ...(meter.zipCode !== null ? { zipCode: meter.zipCode } : {}),
        },
        ...(meter.latitude !== null && meter.longitude !== null ? { location: { latitude: meter.latitude, longitude: meter.longitude } } : {}),
        meterPointId: meter.meterPointId,
        ...(meter.meterNumber !== null ? { meterNumber: meter.meterNumber } : {}),
        ...(meter.locationType !== null ? { locationType: meter.locationType } : {}),
      })),
    }),
  }),

  createResource: restHandler({
    route: routes.createResource,
    handler: async ({ ctx, params, body }) => {
      const result = await addResource(ctx, params.userId, {
        resourceId: body.resourceId,
        resourceType: body.metadata.resourceType,
        metadata: body.metadata,
      });
      return { status: 201, body: result };
    },
  }),

};
