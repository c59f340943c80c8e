import { describe, expect, it } from "vitest";
import { MAX_READINGS_PER_REQUEST, readingLabels, type ReadingLabel } from "@/server/domain/readings";
import { readingDataPointSchema, readingsRequestSchema } from "./data-readings";

const ASSET_ID = "5b1f0d3e-8c2a-4e6f-9a7b-1c2d3e4f5a6b";

function reading(label: ReadingLabel, value: number, start = "2026-03-01T10:00:00Z", end = "2026-03-01T10:30:00Z") {
  return { asset_id: ASSET_ID, start_timestamp: start, end_timestamp: end, value, label };
}

describe("the published shape of a reading", () => {
  it("accepts a reading in the published shape, with offsets and fractional seconds", () => {
    expect(readingDataPointSchema.safeParse(reading("charger_consumption_energy_kwh", 1.2)).success).toBe(true);
    const withOffset = reading("boundary_import_kw", 1, "2026-06-01T11:00:00.250+01:00", "2026-06-01T11:00:00.250+01:00");
    expect(readingDataPointSchema.safeParse(withOffset).success).toBe(true);
  });

  it("rejects unknown labels, naive timestamps, non-numbers, infinities and bad ids", () => {
    const good = reading("solar_power_kw", 1);
    for (const bad of [
      { ...good, label: "solar_energy_kwh" },
      { ...good, start_timestamp: "2026-03-01T10:00:00" },
      { ...good, value: "1" },
      { ...good, value: Number.POSITIVE_INFINITY },
      { ...good, asset_id: "charger-001" },
    ]) {
      expect(readingDataPointSchema.safeParse(bad).success).toBe(false);
    }
  });

  it("takes every label in a batch of 1 to 10,000 readings", () => {
    expect(readingsRequestSchema.safeParse({ readings: readingLabels.map((label) => reading(label, 1)) }).success).toBe(true);
    expect(readingsRequestSchema.safeParse({}).success).toBe(false);
    expect(readingsRequestSchema.safeParse({ readings: [] }).success).toBe(false);
    const tooMany = Array.from({ length: MAX_READINGS_PER_REQUEST + 1 }, () => reading("solar_power_kw", 1));
    expect(readingsRequestSchema.safeParse({ readings: tooMany }).success).toBe(false);
  });
});
