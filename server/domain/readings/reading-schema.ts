// What `POST /data/readings` carries, as the rules (check-reading.ts) and the ingest service see it.
// The wire schema (zod, published in the OpenAPI document) is server/api/schemas/data-readings.ts,
// built from these labels.
//
// The label enum is CLOSED, as in the published document: an unknown label fails the request with the
// dialect's 422, exactly like the reference, and a per-reading answer can always echo a label that
// the published `ReadingResponse` schema accepts. The docs agree on this list, so the "open enums
// where the docs disagree" rule does not apply.

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

/** What each label measures, for the published schema. */
export const READING_LABEL_DESCRIPTION = [
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
].join(" ");

/** One reading after the wire schema's shape check: timestamps are ISO 8601 instants with a zone. */
export interface Reading {
  asset_id: string;
  start_timestamp: string;
  end_timestamp: string;
  value: number;
  label: ReadingLabel;
}

/** Upper bound on one request, so a single call cannot tie up the server; partners send more calls. */
export const MAX_READINGS_PER_REQUEST = 10_000;
