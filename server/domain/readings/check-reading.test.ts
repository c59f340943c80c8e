import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkReading, readingLabelRules, readingLabels } from "./index";
import type { Reading, ReadingAsset, ReadingLabel } from "./index";

const ASSET_ID = "5b1f0d3e-8c2a-4e6f-9a7b-1c2d3e4f5a6b";
const charger: ReadingAsset = { type: "charger", powerKw: 7.4 };
const battery: ReadingAsset = { type: "battery", powerKw: 5, capacityKwh: 9.5 };
const solar: ReadingAsset = { type: "solar_pv", powerKw: 4 };
const heatPump: ReadingAsset = { type: "heat_pump", powerKw: 3 };

function reading(label: ReadingLabel, value: number, start = "2026-03-01T10:00:00Z", end = "2026-03-01T10:30:00Z"): Reading {
  return { asset_id: ASSET_ID, start_timestamp: start, end_timestamp: end, value, label };
}

function errorOf(result: ReturnType<typeof checkReading>): string {
  return result.ok ? "" : result.error;
}

describe("labels", () => {
  it("has a rule for every label of the reference", () => {
    expect([...readingLabels].sort()).toEqual(Object.keys(readingLabelRules).sort());
    expect(readingLabels).toHaveLength(10);
  });
});

describe("checkReading: interval energy", () => {
  it("accepts a half-hour of charger consumption and normalises it", () => {
    const result = checkReading(reading("charger_consumption_energy_kwh", 3.5), charger);
    expect(result).toEqual({
      ok: true,
      normalised: {
        assetId: ASSET_ID,
        label: "charger_consumption_energy_kwh",
        family: "interval_energy",
        unit: "kWh",
        start: new Date("2026-03-01T10:00:00Z"),
        end: new Date("2026-03-01T10:30:00Z"),
        value: 3.5,
      },
    });
  });

  it("accepts a half hour written with a London summer offset", () => {
    expect(checkReading(reading("charger_consumption_energy_kwh", 1, "2026-07-01T11:30:00+01:00", "2026-07-01T12:00:00+01:00"), charger).ok).toBe(true);
  });

  it("rejects a reading that does not start on :00 or :30 UTC", () => {
    const result = checkReading(reading("charger_consumption_energy_kwh", 1, "2026-03-01T10:15:00Z", "2026-03-01T10:45:00Z"), charger);
    expect(result).toMatchObject({ ok: false, code: "not_half_hour_aligned" });
    expect(errorOf(result)).toMatch(/half-hour boundary/);
    expect(checkReading(reading("charger_consumption_energy_kwh", 1, "2026-03-01T10:00:01Z", "2026-03-01T10:30:01Z"), charger)).toMatchObject({
      code: "not_half_hour_aligned",
    });
  });

  it("rejects a charger consumption reading longer than 30 minutes", () => {
    const result = checkReading(reading("charger_consumption_energy_kwh", 1, "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z"), charger);
    expect(result).toMatchObject({ ok: false, code: "wrong_interval_length" });
    expect(errorOf(result)).toMatch(/exactly 30 minutes; got 60 minutes/);
  });

  it("accepts provisional consumption over several whole half hours", () => {
    expect(checkReading(reading("provisional_consumption_kwh", 2, "2026-03-01T10:00:00Z", "2026-03-01T12:00:00Z"), heatPump).ok).toBe(true);
    expect(checkReading(reading("provisional_consumption_kwh", 2, "2026-03-01T10:00:00Z", "2026-03-01T10:20:00Z"), heatPump)).toMatchObject({
      code: "not_half_hour_aligned",
    });
  });

  it("rejects an interval whose end is not after its start", () => {
    const result = checkReading(reading("charger_consumption_energy_kwh", 1, "2026-03-01T10:30:00Z", "2026-03-01T10:30:00Z"), charger);
    expect(result).toMatchObject({ ok: false, code: "end_before_start" });
  });

  it("rejects negative consumption", () => {
    expect(checkReading(reading("charger_consumption_energy_kwh", -0.1), charger)).toMatchObject({ ok: false, code: "value_out_of_range" });
    expect(checkReading(reading("provisional_consumption_kwh", -1), charger)).toMatchObject({ ok: false, code: "value_out_of_range" });
  });

  it("allows up to the rated power x duration with 10% + 0.1 kW tolerance, and no more", () => {
    // 7.4 kW over 0.5 h = 3.7 kWh; with tolerance (7.4 x 1.1 + 0.1) x 0.5 = 4.12 kWh.
    expect(checkReading(reading("charger_consumption_energy_kwh", 4.12), charger).ok).toBe(true);
    const result = checkReading(reading("charger_consumption_energy_kwh", 4.2), charger);
    expect(result).toMatchObject({ ok: false, code: "value_implausible" });
    expect(errorOf(result)).toMatch(/7.4 kW/);
  });

  it("bounds consumption by the supply ceiling when the charger's power is unknown", () => {
    expect(checkReading(reading("charger_consumption_energy_kwh", 11), { type: "charger" }).ok).toBe(true);
    expect(checkReading(reading("charger_consumption_energy_kwh", 51), { type: "charger" })).toMatchObject({ code: "value_implausible" });
  });
});

describe("checkReading: power", () => {
  it("accepts signed boundary power either way within the domestic ceiling", () => {
    expect(checkReading(reading("boundary_import_kw", -3.2, "2026-03-01T10:05:00Z", "2026-03-01T10:05:00Z"), charger).ok).toBe(true);
    expect(checkReading(reading("boundary_import_kw", 12), charger).ok).toBe(true);
    expect(checkReading(reading("boundary_import_kw", -150), battery)).toMatchObject({ code: "value_implausible" });
  });

  it("bounds battery inverter power by the battery's rating in both directions", () => {
    expect(checkReading(reading("battery_inverter_import_kw", -5.6), battery).ok).toBe(true);
    expect(checkReading(reading("battery_inverter_import_kw", 5.6), battery).ok).toBe(true);
    expect(checkReading(reading("battery_inverter_import_kw", -5.7), battery)).toMatchObject({ code: "value_implausible" });
  });

  it("rejects negative solar generation and solar above the array's rating", () => {
    expect(checkReading(reading("solar_power_kw", -0.2), solar)).toMatchObject({ code: "value_out_of_range" });
    expect(checkReading(reading("solar_power_kw", 4.5), solar).ok).toBe(true);
    expect(checkReading(reading("solar_power_kw", 4.6), solar)).toMatchObject({ code: "value_implausible" });
    // A battery's rating says nothing about its PV array.
    expect(checkReading(reading("solar_power_kw", 8), battery).ok).toBe(true);
  });

  it("accepts point samples (start equal to end) but not an end before the start", () => {
    expect(checkReading(reading("battery_inverter_import_kw", 1, "2026-03-01T10:07:13Z", "2026-03-01T10:07:13Z"), battery).ok).toBe(true);
    expect(checkReading(reading("battery_inverter_import_kw", 1, "2026-03-01T10:07:13Z", "2026-03-01T10:07:12Z"), battery)).toMatchObject({
      code: "end_before_start",
    });
  });
});

describe("checkReading: lifetime registers", () => {
  it("accepts non-negative registers and rejects negative ones", () => {
    for (const label of ["charger_lifetime_consumption_energy_kwh", "boundary_lifetime_import_energy_kwh", "boundary_lifetime_export_energy_kwh"] as const) {
      expect(checkReading(reading(label, 12345.678), charger).ok).toBe(true);
      expect(checkReading(reading(label, -1), charger)).toMatchObject({ code: "value_out_of_range" });
    }
  });

  it("rejects a register that goes backwards against a stored reading, either side in time", () => {
    const previousRegister = { value: 1000, end: "2026-03-01T10:00:00Z" };
    expect(checkReading(reading("boundary_lifetime_import_energy_kwh", 1000.5), charger, { previousRegister }).ok).toBe(true);
    expect(checkReading(reading("boundary_lifetime_import_energy_kwh", 999), charger, { previousRegister })).toMatchObject({
      code: "register_decreased",
    });
    const laterRegister = { value: 1000, end: "2026-03-01T11:00:00Z" };
    expect(checkReading(reading("boundary_lifetime_import_energy_kwh", 999), charger, { previousRegister: laterRegister }).ok).toBe(true);
    expect(checkReading(reading("boundary_lifetime_import_energy_kwh", 1001), charger, { previousRegister: laterRegister })).toMatchObject({
      code: "register_decreased",
    });
  });
});

describe("checkReading: battery state", () => {
  it("accepts state of charge from 0 to 100 inclusive only", () => {
    expect(checkReading(reading("battery_state_of_charge_pct", 0), battery).ok).toBe(true);
    expect(checkReading(reading("battery_state_of_charge_pct", 100), battery).ok).toBe(true);
    expect(checkReading(reading("battery_state_of_charge_pct", 100.1), battery)).toMatchObject({ code: "value_out_of_range" });
    expect(checkReading(reading("battery_state_of_charge_pct", -1), battery)).toMatchObject({ code: "value_out_of_range" });
  });

  it("bounds stored energy by capacity with 5% + 0.1 kWh tolerance", () => {
    expect(checkReading(reading("battery_stored_energy_kwh", 10.075), battery).ok).toBe(true);
    const result = checkReading(reading("battery_stored_energy_kwh", 10.2), battery);
    expect(result).toMatchObject({ ok: false, code: "value_implausible" });
    expect(errorOf(result)).toMatch(/9.5 kWh capacity/);
    expect(checkReading(reading("battery_stored_energy_kwh", -0.5), battery)).toMatchObject({ code: "value_out_of_range" });
    expect(checkReading(reading("battery_stored_energy_kwh", 20), { type: "battery" }).ok).toBe(true);
  });
});

describe("checkReading: labels per asset type", () => {
  it("rejects battery labels on a charger and charger labels on a battery, with a clear message", () => {
    const result = checkReading(reading("battery_state_of_charge_pct", 50), charger);
    expect(result).toMatchObject({ ok: false, code: "label_not_allowed_for_asset" });
    expect(errorOf(result)).toBe("battery_state_of_charge_pct cannot be reported for a charger asset; it is for battery");
    expect(checkReading(reading("charger_consumption_energy_kwh", 1), battery)).toMatchObject({ code: "label_not_allowed_for_asset" });
    expect(checkReading(reading("solar_power_kw", 1), heatPump)).toMatchObject({ code: "label_not_allowed_for_asset" });
  });

  it("accepts site-level labels for every asset type, including unknown ones", () => {
    for (const type of ["battery", "charger", "electric_vehicle", "heat_pump", "hot_water_tank", "solar_pv", "something_new"]) {
      expect(checkReading(reading("boundary_import_kw", 1), { type }).ok).toBe(true);
      expect(checkReading(reading("boundary_lifetime_export_energy_kwh", 1), { type }).ok).toBe(true);
      expect(checkReading(reading("provisional_consumption_kwh", 1), { type }).ok).toBe(true);
    }
  });
});

describe("checkReading: clock", () => {
  it("rejects readings that end in the future beyond five minutes of skew", () => {
    const now = new Date("2026-03-01T10:26:00Z");
    expect(checkReading(reading("charger_consumption_energy_kwh", 1), charger, { now }).ok).toBe(true);
    const result = checkReading(reading("charger_consumption_energy_kwh", 1), charger, { now: new Date("2026-03-01T10:24:59Z") });
    expect(result).toMatchObject({ ok: false, code: "in_future" });
  });
});

describe("checkReading: properties", () => {
  it("accepts every plausible half-hour charger reading and rejects every implausible one", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 1, max: 22, noNaN: true }),
        fc.double({ min: 0, max: 30, noNaN: true }),
        (slot, powerKw, kwh) => {
          const start = new Date(Date.UTC(2025, 0, 1) + slot * 1_800_000);
          const end = new Date(start.getTime() + 1_800_000);
          const result = checkReading(reading("charger_consumption_energy_kwh", kwh, start.toISOString(), end.toISOString()), { type: "charger", powerKw });
          const ceiling = (powerKw * 1.1 + 0.1) * 0.5;
          expect(result.ok).toBe(kwh <= ceiling);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never throws and always explains a rejection, for any label, asset and numbers", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...readingLabels),
        fc.constantFrom("battery", "charger", "electric_vehicle", "heat_pump", "hot_water_tank", "solar_pv"),
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.integer({ min: -3_600_000, max: 3_600_000 }),
        fc.option(fc.double({ min: 0, max: 50, noNaN: true }), { nil: undefined }),
        (label, type, value, lengthMs, powerKw) => {
          const start = new Date("2026-03-01T10:00:00Z");
          const end = new Date(start.getTime() + lengthMs);
          const result = checkReading(reading(label, value, start.toISOString(), end.toISOString()), { type, powerKw, capacityKwh: 10 });
          if (!result.ok) expect(result.error.length).toBeGreaterThan(10);
        },
      ),
      { numRuns: 500 },
    );
  });
});
