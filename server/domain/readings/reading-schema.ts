// Shape of `POST /data/readings` in the entities dialect.
//
// The label enum is CLOSED, as in the published document: an unknown label fails the request with the
// dialect's 422, exactly like the reference, and a per-reading answer can always echo a label that
// the published `ReadingResponse` schema accepts. The docs agree on this list, so the "open enums
// where the docs disagree" rule does not apply.
import { z } from "zod";

export const readingLabels = [
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

export type ReadingLabel = (typeof readingLabels)[number];

export const readingLabelSchema = z.enum(readingLabels).describe(
  [
    "What the value measures. Signed power labels use positive for import (from the grid, into the battery).",
    "boundary_import_kw: power across the site boundary (kW, signed).",
    "battery_inverter_import_kw: inverter power into the battery (kW, signed).",
    "solar_power_kw: solar generation (kW, >= 0).",
    "charger_consumption_energy_kwh: energy the charger used in one UTC-aligned half hour (kWh, >= 0).",
    "provisional_consumption_kwh: provisional consumption over whole half hours (kWh, >= 0).",
    "charger_lifetime_consumption_energy_kwh, boundary_lifetime_import_energy_kwh, boundary_lifetime_export_energy_kwh:",
    "cumulative register values (kWh, >= 0, never decreasing).",
    "battery_state_of_charge_pct: state of charge (0 to 100).",
    "battery_stored_energy_kwh: energy stored in the battery (kWh, >= 0).",
  ].join(" "),
);

/** Timestamps must carry a zone (Z or an offset): a naive local time is ambiguous around clock changes. */
const instantSchema = z.iso.datetime({ offset: true });

export const readingSchema = z.object({
  // Any 8-4-4-4-12 hex id, as the reference's validator accepts, not only RFC 4122 variants.
  asset_id: z.guid().describe("Id of the asset the reading belongs to"),
  start_timestamp: instantSchema.describe("Start of the reading, ISO 8601 with a zone"),
  end_timestamp: instantSchema.describe("End of the reading, ISO 8601 with a zone"),
  value: z.number().describe("Reading value in the label's unit"),
  label: readingLabelSchema,
});

export type Reading = z.infer<typeof readingSchema>;

/** Upper bound on one request, so a single call cannot tie up the server; partners send more calls. */
export const MAX_READINGS_PER_REQUEST = 10_000;

export const readingsRequestSchema = z.object({
  readings: z.array(readingSchema).max(MAX_READINGS_PER_REQUEST),
});

export type ReadingsRequest = z.infer<typeof readingsRequestSchema>;

export const readingResponseSchema = z.object({
  asset_id: z.guid(),
  start_timestamp: z.string(),
  end_timestamp: z.string(),
  label: readingLabelSchema,
  accepted: z.boolean(),
  error: z.string().optional(),
});

export type ReadingResponse = z.infer<typeof readingResponseSchema>;

export const readingsResponseSchema = z.object({ responses: z.array(readingResponseSchema) });
