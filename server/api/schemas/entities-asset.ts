import { z } from "zod";
import {
  type AssetType,
  SUPPORTED_BATTERY_OEMS,
  validateAssetProperties,
  type AssetPropertyIssue,
} from "@/server/domain/inventory";
import {
  isoDateSchema,
  openEnum,
  paginationQuerySchema,
  uuidSchema,
  type ValidationErrorItem,
} from "./entities-common";
import { zodIssuesToDetail } from "./validation-detail";

// The entities API spells some types with spaces ("heat pump") and names solar by its
// inverter. Requests accept those spellings and ours; responses use the reference's,
// so partners' existing enum handling keeps working.
const WIRE_ASSET_TYPE: Record<AssetType, string> = {
  battery: "battery",
  charger: "charger",
  electric_vehicle: "electric_vehicle",
  heat_pump: "heat pump",
  hot_water_tank: "hot water tank",
  solar_pv: "pv inverter",
};
const ASSET_TYPE_FROM_WIRE = {
  battery: "battery",
  charger: "charger",
  electric_vehicle: "electric_vehicle",
  "heat pump": "heat_pump",
  heat_pump: "heat_pump",
  "hot water tank": "hot_water_tank",
  hot_water_tank: "hot_water_tank",
  "pv inverter": "solar_pv",
  solar_pv: "solar_pv",
} as const satisfies Record<string, AssetType>;
type WireAssetTypeInput = keyof typeof ASSET_TYPE_FROM_WIRE;
const CREATABLE_WIRE_TYPES = Object.keys(ASSET_TYPE_FROM_WIRE) as [WireAssetTypeInput, ...WireAssetTypeInput[]];

export function assetTypeToWire(type: AssetType): string {
  return WIRE_ASSET_TYPE[type];
}

export const creatableAssetTypeSchema = z
  .enum(CREATABLE_WIRE_TYPES)
  .transform((type): AssetType => ASSET_TYPE_FROM_WIRE[type])
  .meta({ id: "CreatableAssetType", description: "Asset types that can be registered. Spaced and snake_case spellings are both accepted." });

export const REFERENCE_ASSET_TYPES = [
  "boundary meter",
  "charger",
  "battery",
  "heat pump",
  "hot water tank",
  "frequency meter",
  "electric_vehicle",
  "pv inverter",
] as const;
export const assetTypeSchema = openEnum(REFERENCE_ASSET_TYPES).meta({
  id: "AssetType",
  description: "Kind of asset, in the entities API's spelling.",
});

export const assetOemSchema = openEnum(SUPPORTED_BATTERY_OEMS).describe(
  "Manufacturer cloud the asset is reached through, lower case (extension of the entities API)",
);

// Known keys are checked here; per-type rules run once the type is known.
export const assetPropertiesSchema = z
  .looseObject({
    power_kw: z.number().min(0).optional().describe("Rated power, kW"),
    capacity_kwh: z.number().min(0).optional().describe("Energy capacity, kWh"),
  })
  .meta({
    id: "AssetProperties",
    description:
      "Physical properties of an asset. power_kw and capacity_kwh apply to every type; other keys depend on the type (see the partner guide).",
  });

function checkPropertiesForType<T extends { type: AssetType; properties?: Record<string, unknown> | undefined }>(
  asset: T,
  ctx: z.RefinementCtx,
): T & { ignored_property_keys: string[] } {
  const result = validateAssetProperties(asset.type, asset.properties);
  if (!result.ok) {
    for (const { issue } of result.issues) {
      ctx.addIssue({ ...issue, path: ["properties", ...issue.path] } as z.core.$ZodRawIssue);
    }
    return { ...asset, ignored_property_keys: [] };
  }
  return { ...asset, properties: result.properties, ignored_property_keys: result.ignoredKeys };
}

const assetDescriptiveFields = {
  properties: assetPropertiesSchema.optional(),
  asset_model: z.string().min(1).optional().describe("Catalogue model name; with installation_date it enables the CoP11 route"),
  installation_date: isoDateSchema.optional(),
  serial_number: z.string().min(1).optional().describe("Manufacturer serial number"),
  oem: assetOemSchema.optional(),
  oem_device_id: z.string().min(1).optional().describe("The asset's id in its manufacturer cloud (extension)"),
};

const externalIdSchema = z.string().min(1).max(255).describe("The partner's own id for the asset, unique within the organisation");

export const onboardingAssetRequestSchema = z
  .object({ external_id: externalIdSchema, type: creatableAssetTypeSchema, ...assetDescriptiveFields })
  .transform(checkPropertiesForType)
  .meta({ id: "OnboardingAssetRequest", description: "An asset registered together with its site." });
export type OnboardingAssetRequest = z.output<typeof onboardingAssetRequestSchema>;

export const assetRequestSchema = z
  .object({
    external_id: externalIdSchema,
    type: creatableAssetTypeSchema,
    site_id: uuidSchema.describe("Site the asset belongs to"),
    ...assetDescriptiveFields,
  })
  .transform(checkPropertiesForType)
  .meta({ id: "AssetRequest", description: "A new asset at an existing site." });
export type AssetRequest = z.output<typeof assetRequestSchema>;

export const assetUpdateRequestSchema = z
  .object(assetDescriptiveFields)
  .meta({
    id: "AssetUpdateRequest",
    description: "Fields to change on an asset; absent fields are left alone. Properties are checked against the asset's type.",
  });
export type AssetUpdateRequest = z.output<typeof assetUpdateRequestSchema>;

export const assetResponseSchema = z
  .object({
    id: uuidSchema.describe("Platform id of the asset"),
    external_id: z.string(),
    type: assetTypeSchema,
    site_id: uuidSchema,
    properties: assetPropertiesSchema.optional(),
    asset_model: z.string().optional(),
    installation_date: isoDateSchema.optional(),
    serial_number: z.string().optional(),
    oem: z.string().optional(),
    oem_device_id: z.string().optional(),
  })
  .meta({ id: "AssetResponse", description: "An asset as stored." });
export type AssetResponse = z.output<typeof assetResponseSchema>;

export const assetResponsePageSchema = z
  .object({
    assets: z.array(assetResponseSchema),
    total_num_assets: z.number().int().min(0),
    total_num_pages: z.number().int().min(0),
    page_number: z.number().int().min(1).describe("1-based"),
  })
  .meta({ id: "AssetResponsePage", description: "One page of assets." });
export type AssetResponsePage = z.output<typeof assetResponsePageSchema>;

export const assetListQuerySchema = paginationQuerySchema;
export type AssetListQuery = z.output<typeof assetListQuerySchema>;

export const assetExternalIdParamsSchema = z.object({ external_id: z.string().min(1) });

/** For PATCH, where the type comes from the stored asset: property problems as 422 entries. */
export function assetPropertyIssuesToDetail(issues: readonly AssetPropertyIssue[]): ValidationErrorItem[] {
  return zodIssuesToDetail(
    new z.ZodError(issues.map(({ issue }) => ({ ...issue, path: ["properties", ...issue.path] }))),
    "body",
  );
}
