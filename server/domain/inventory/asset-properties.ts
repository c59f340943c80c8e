import { z } from "zod";

export const ASSET_TYPES = [
  "battery",
  "charger",
  "electric_vehicle",
  "heat_pump",
  "hot_water_tank",
  "solar_pv",
] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

export function isAssetType(value: string): value is AssetType {
  return (ASSET_TYPES as readonly string[]).includes(value);
}

// power_kw and capacity_kwh are accepted on every type with a floor of zero, as the
// entities API does, so existing integrations keep working; type-specific keys
// carry tighter bounds. Unknown keys are dropped and reported, never stored.
const kilowatts = (max: number) => z.number().min(0).max(max);
const commonProperties = {
  power_kw: kilowatts(1000).optional().describe("Rated power in kW"),
  capacity_kwh: z.number().min(0).max(10_000).optional().describe("Energy capacity in kWh"),
};

export const batteryPropertiesSchema = z.object({
  ...commonProperties,
  usable_capacity_kwh: z.number().min(0).max(10_000).optional().describe("Capacity the inverter may cycle, in kWh"),
  min_soc_pct: z.number().min(0).max(100).optional().describe("Reserve the battery never discharges below, in %"),
  round_trip_efficiency_pct: z.number().gt(0).max(100).optional().describe("AC round-trip efficiency, in %"),
  max_export_kw: kilowatts(1000).optional().describe("Export limit at the connection, in kW"),
  soc_targets: z
    .array(
      z.strictObject({
        kind: z.enum(["min", "max"]).describe("min: at least pct; max: never above pct"),
        pct: z.number().min(0).max(100),
        from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a wall time HH:MM"),
        until: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a wall time HH:MM"),
        date: z.iso.date().optional().describe("Only on this local date; every day when omitted"),
      }),
    )
    .max(20)
    .optional()
    .describe("State-of-charge targets for optimised schedules, e.g. at least 70 % by 18:00 (from = until = 18:00)"),
});

export const chargerPropertiesSchema = z.object({
  ...commonProperties,
  phases: z.union([z.literal(1), z.literal(3)]).optional().describe("Supply phases used for charging"),
  connector_count: z.number().int().min(1).max(8).optional().describe("Number of connectors"),
  max_current_a: z.number().min(6).max(500).optional().describe("Maximum current per phase, in A"),
  site_import_limit_kw: kilowatts(1000)
    .optional()
    .describe("Import limit shared by all the site's chargers, in kW; their charging is then planned jointly"),
});

export const electricVehiclePropertiesSchema = z.object({
  ...commonProperties,
  max_charge_power_kw: kilowatts(350).optional().describe("Highest AC charging power the vehicle accepts, in kW"),
});

export const heatPumpPropertiesSchema = z.object({
  ...commonProperties,
  heat_output_kw: kilowatts(100).optional().describe("Rated thermal output, in kW"),
});

export const hotWaterTankPropertiesSchema = z.object({
  ...commonProperties,
  capacity_litres: z.number().gt(0).max(5000).optional().describe("Tank volume in litres"),
  heating_elements_kw: z
    .array(z.number().gt(0).max(20))
    .min(1)
    .max(6)
    .optional()
    .describe("Rating of each immersion element, in kW"),
});

export const solarPvPropertiesSchema = z.object({
  ...commonProperties,
  peak_power_kwp: z.number().gt(0).max(1000).optional().describe("Array peak output, in kWp"),
});

export const assetPropertiesSchemaByType = {
  battery: batteryPropertiesSchema,
  charger: chargerPropertiesSchema,
  electric_vehicle: electricVehiclePropertiesSchema,
  heat_pump: heatPumpPropertiesSchema,
  hot_water_tank: hotWaterTankPropertiesSchema,
  solar_pv: solarPvPropertiesSchema,
} as const satisfies Record<AssetType, z.ZodObject>;

export type BatteryProperties = z.output<typeof batteryPropertiesSchema>;
export type ChargerProperties = z.output<typeof chargerPropertiesSchema>;
export type ElectricVehicleProperties = z.output<typeof electricVehiclePropertiesSchema>;
export type HeatPumpProperties = z.output<typeof heatPumpPropertiesSchema>;
export type HotWaterTankProperties = z.output<typeof hotWaterTankPropertiesSchema>;
export type SolarPvProperties = z.output<typeof solarPvPropertiesSchema>;
export type AssetPropertiesByType = {
  [T in AssetType]: z.output<(typeof assetPropertiesSchemaByType)[T]>;
};
export type AssetProperties = AssetPropertiesByType[AssetType];

export type AssetPropertyIssue = { path: (string | number)[]; message: string; issue: z.core.$ZodIssue };

export type ValidatedAssetProperties<T extends AssetType = AssetType> =
  | { ok: true; properties: AssetPropertiesByType[T]; ignoredKeys: string[] }
  | { ok: false; issues: AssetPropertyIssue[] };

/** Checks properties against the rules for one asset type. Missing properties mean `{}`. */
export function validateAssetProperties<T extends AssetType>(
  type: T,
  input: unknown,
): ValidatedAssetProperties<T> {
  const schema: z.ZodObject = assetPropertiesSchemaByType[type];
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.filter((part): part is string | number => typeof part !== "symbol"),
        message: issue.message,
        issue,
      })),
    };
  }
  const known = new Set(Object.keys(schema.shape));
  const ignoredKeys =
    typeof input === "object" && input !== null ? Object.keys(input).filter((key) => !known.has(key)) : [];
  return { ok: true, properties: parsed.data as AssetPropertiesByType[T], ignoredKeys };
}

/** Warning code for a property key the asset type does not know. */
export function ignoredPropertyWarning(key: string): string {
  return `property_ignored:${key}`;
}
