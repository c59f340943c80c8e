// Routes of the energy-coordination dialect that predate its published specification (vehicle
// details, meters, resources with metadata), kept beside the published operations
// (energy-coordination-partner.ts). A user's id is the partner's (see the published POST /users).
import { z } from "zod";
import { validateVin } from "@/server/domain/inventory";
import { openEnum } from "./entities-common";

export const userIdParamsSchema = z.object({ userId: z.string().min(1) });

const currentYearPlusTwo = new Date().getUTCFullYear() + 2;

const vinSchema = z
  .string()
  .transform((value, ctx) => {
    const result = validateVin(value);
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message, params: { type: "vin_invalid" } });
      return z.NEVER;
    }
    return result.vin;
  })
  .describe("17-character VIN; the check digit is enforced for North American VINs only");

export const vehicleMetadataSchema = z.object({
  resourceType: z.literal("Vehicle"),
  brand: z.string().trim().min(1).max(100),
  model: z.string().trim().min(1).max(100),
  year: z.number().int().min(1990).max(currentYearPlusTwo).optional().describe("Model year"),
  vin: vinSchema.optional(),
});

export const vehicleRequestSchema = z
  .object({
    vehicleId: z.string().min(1).max(255).describe("The partner's id for the vehicle"),
    metadata: vehicleMetadataSchema,
  })
  .meta({ id: "VehicleRequest", description: "An electric vehicle the user owns." });
export type VehicleRequest = z.output<typeof vehicleRequestSchema>;

export const vehicleResponseSchema = z
  .object({
    vehicleId: z.string(),
    metadata: z.object({
      resourceType: z.literal("Vehicle"),
      brand: z.string(),
      model: z.string(),
      year: z.number().int().optional(),
      vin: z.string().optional(),
    }),
  })
  .meta({ id: "Vehicle", description: "An electric vehicle as stored." });
export type VehicleResponse = z.output<typeof vehicleResponseSchema>;
export const vehicleListResponseSchema = z.array(vehicleResponseSchema);

export const METER_LOCATION_TYPES = ["Residential", "Commercial", "Industrial"] as const;

const meterFields = {
  address: z.object({
    street: z.string().trim().min(1).max(300),
    city: z.string().trim().min(1).max(100).optional(),
    zipCode: z.string().trim().min(1).max(20).optional().describe("Postcode"),
  }),
  location: z
    .object({ latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) })
    .optional(),
  meterPointId: z.string().trim().min(1).max(50).describe("Metering point id (an MPAN core for UK meters)"),
  meterNumber: z.string().trim().min(1).max(50).optional().describe("Serial number printed on the meter"),
  locationType: openEnum(METER_LOCATION_TYPES).optional(),
};

export const meterRequestSchema = z
  .object(meterFields)
  .meta({ id: "MeterRequest", description: "A power meter the user's premises are measured by." });
export type MeterRequest = z.output<typeof meterRequestSchema>;

export const createMeterResponseSchema = z.object({ meterId: z.string() }).meta({ id: "CreateMeterResponse" });

export const meterResponseSchema = z
  .object({
    meterId: z.string(),
    address: z.object({ street: z.string(), city: z.string().optional(), zipCode: z.string().optional() }),
    location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
    meterPointId: z.string(),
    meterNumber: z.string().optional(),
    locationType: z.string().optional(),
  })
  .meta({ id: "Meter", description: "A power meter as stored." });
export type MeterResponse = z.output<typeof meterResponseSchema>;
export const meterListResponseSchema = z.array(meterResponseSchema);

export const RESOURCE_TYPES = ["HotWaterTank", "HeatPump", "Battery", "SolarPanel", "Charger"] as const;

export const hotWaterTankMetadataSchema = z.object({
  resourceType: z.literal("HotWaterTank"),
  brand: z.string().trim().min(1).max(100).optional(),
  model: z.string().trim().min(1).max(100).optional(),
  capacity: z.number().gt(0).max(5000).describe("Tank volume, litres"),
  heatingElements: z.array(z.number().gt(0).max(20_000)).min(1).max(6).describe("Each immersion element's rating, W"),
});

// Only hot water tanks have agreed fields so far; other resource types keep what the
// partner sends so that nothing is lost before they are modelled.
export const resourceMetadataSchema = z
  .looseObject({
    resourceType: openEnum(RESOURCE_TYPES),
    brand: z.string().optional(),
    model: z.string().optional(),
  })
  .superRefine((metadata, ctx) => {
    if (metadata.resourceType !== "HotWaterTank") return;
    const parsed = hotWaterTankMetadataSchema.safeParse(metadata);
    if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue(issue as z.core.$ZodRawIssue);
  })
  .describe("What the resource is; HotWaterTank requires capacity (litres) and heatingElements (W)");

export const resourceRequestSchema = z
  .object({
    resourceId: z.string().min(1).max(255).describe("The partner's id for the resource"),
    metadata: resourceMetadataSchema,
  })
  .meta({ id: "ResourceRequest", description: "A flexible resource other than a vehicle, e.g. a hot water tank." });
export type ResourceRequest = z.output<typeof resourceRequestSchema>;

export const resourceResponseSchema = z
  .object({
    resourceId: z.string(),
    metadata: z.looseObject({ resourceType: z.string() }),
  })
  .meta({ id: "Resource", description: "A flexible resource as stored." });
export type ResourceResponse = z.output<typeof resourceResponseSchema>;

export const createResourceResponseSchema = z.object({ resourceId: z.string() }).meta({ id: "CreateResourceResponse" });

