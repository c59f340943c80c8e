// Service records in the dialects' wire shapes. Unknown fields are left out rather
// than sent as null, as the entities dialect does.
import type { z } from "zod";
import { assetTypeToWire, type assetResponseSchema } from "@/server/api/schemas/entities-asset";
import { omitNulls } from "@/server/api/schemas/entities-common";
import type { siteResponseSchema } from "@/server/api/schemas/entities-site";
import type { AssetRecord, SiteRecord } from "@/server/services/inventory/records";

export function siteToWire(site: SiteRecord): z.input<typeof siteResponseSchema> {
  return omitNulls({
    id: site.id,
    mpan: site.mpan,
    postcode: site.postcode,
    address: site.streetAddress,
    asset_ids: site.assets.map((asset) => asset.id),
    // Markets and dispatch consents arrive with the consent ledger; none are recorded yet.
    markets: [],
    dispatch_methods: [],
    tariff:
      site.tariff === null
        ? null
        : omitNulls({
            tariff_type: site.tariff.tariffType,
            tariff_cheap_start_time: site.tariff.cheapStartTime ?? null,
            tariff_cheap_end_time: site.tariff.cheapEndTime ?? null,
          }),
    gave_boundary_meter_consent_at: site.gaveBoundaryMeterConsentAt?.toISOString() ?? null,
    email: site.email,
    is_half_hourly_settled: site.isHalfHourlySettled,
    time_zone: site.timeZone,
    status: site.status,
  });
}

export function assetToWire(asset: AssetRecord): z.input<typeof assetResponseSchema> {
  return omitNulls({
    id: asset.id,
    external_id: asset.externalId,
    type: assetTypeToWire(asset.type),
    site_id: asset.siteId,
    properties: asset.properties,
    asset_model: asset.assetModel,
    installation_date: asset.installationDate,
    serial_number: asset.serialNumber,
    oem: asset.oem,
    oem_device_id: asset.oemDeviceId,
  });
}
