import { z } from "zod";
import { isoDateTimeSchema, uuidSchema } from "./entities-common";

/** Reading labels. Power is positive for import / charging and negative for export. */
export const READING_LABELS = [
  "boundary_import_kw",
  "battery_inverter_import_kw",
  "charger_consumption_energy_kwh",
  "charger_lifetime_consumption_energy_kwh",
  "boundary_lifetime_import_energy_kwh",
  "boundary_lifetime_export_energy_kwh",
  "provisional_consumption_kwh",
  "solar_power_kw",
  "battery_state_of_charge_pct",
  "battery_stored_energy_kwh",
] as const;
export const readingLabelSchema = z.enum(READING_LABELS).meta({ id: "ReadingDataPointLabel", description: "What a reading measures." });

export const readingDataPointSchema = z
  .object({
    asset_id: uuidSchema,
    start_timestamp: isoDateTimeSchema,
    end_timestamp: isoDateTimeSchema,
    value: z.number().finite(),
    label: readingLabelSchema,
  })
  .meta({ id: "ReadingDataPoint", description: "One reading for one asset over one interval." });
export type ReadingDataPoint = z.output<typeof readingDataPointSchema>;

export const readingsRequestSchema = z
  .object({ readings: z.array(readingDataPointSchema).min(1).max(10_000) })
  .meta({ id: "ReadingsDataPoints", description: "A batch of readings; each is accepted or refused on its own." });
export type ReadingsRequest = z.output<typeof readingsRequestSchema>;

export const readingResultSchema = z
  .object({
    asset_id: uuidSchema,
    start_timestamp: isoDateTimeSchema,
    end_timestamp: isoDateTimeSchema,
    label: readingLabelSchema,
    accepted: z.boolean(),
    error: z.string().optional().describe("Why the reading was refused"),
  })
  .meta({ id: "ReadingResponse", description: "The outcome for one reading." });

export const readingsResponseSchema = z
  .object({ responses: z.array(readingResultSchema) })
  .meta({ id: "ReadingsResponse", description: "Outcomes in the order the readings were sent." });
export type ReadingsResponse = z.output<typeof readingsResponseSchema>;
