import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildSetChargingProfile16,
  buildSetChargingProfile201,
  ChargingProfileInputError,
  FULL_POWER_LIMIT,
  validateOcppPayload,
} from "./index";
import type { ChargingSchedulePeriod, PlannedPowerPeriod } from "./index";

const START = Date.parse("2026-03-01T22:00:00Z");
const HALF_HOUR_MS = 30 * 60 * 1000;

function halfHourPlan(kws: readonly number[], offsetSlots = 0): PlannedPowerPeriod[] {
  return kws.map((kw, index) => ({ start: new Date(START + (index + offsetSlots) * HALF_HOUR_MS).toISOString(), kw }));
}

/** Energy the schedule allows, in limit-unit x hours (Wh for W), given the plan's rated power for the sentinel. */
function allowedEnergy(periods: readonly ChargingSchedulePeriod[], duration: number, fullLimit = FULL_POWER_LIMIT): number {
  return periods.reduce((sum, period, index) => {
    const end = periods[index + 1]?.startPeriod ?? duration;
    const limit = period.limit === FULL_POWER_LIMIT ? fullLimit : period.limit;
    return sum + (limit * (end - period.startPeriod)) / 3600;
  }, 0);
}

function planEnergyWh(kws: readonly number[]): number {
  return kws.reduce((sum, kw) => sum + kw * 1000 * 0.5, 0);
}

/** The limit in force at `second` into the schedule. */
function limitAt(periods: readonly ChargingSchedulePeriod[], second: number): number | undefined {
  let found: number | undefined;
  for (const period of periods) if (period.startPeriod <= second) found = period.limit;
  return found;
}

const kwArbitrary = fc.oneof(fc.constant(0), fc.constant(7.4), fc.double({ min: 0, max: 22, noNaN: true, noDefaultInfinity: true }));
const planArbitrary = fc.array(kwArbitrary, { minLength: 1, maxLength: 96 });

describe("buildSetChargingProfile16", () => {
  it("builds a TxProfile of kind Absolute at stack level 1100 with integer ids and W limits", () => {
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 42,
      transactionId: 9001,
      startSchedule: new Date(START),
      periods: halfHourPlan([7.4, 3.25]),
      unit: "W",
    });
    expect(request).toEqual({
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 42,
        transactionId: 9001,
        stackLevel: 1100,
        chargingProfilePurpose: "TxProfile",
        chargingProfileKind: "Absolute",
        chargingSchedule: {
          duration: 3600,
          startSchedule: "2026-03-01T22:00:00Z",
          chargingRateUnit: "W",
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 7400 },
            { startPeriod: 1800, limit: 3250 },
          ],
        },
      },
    });
    expect(validateOcppPayload("1.6", "SetChargingProfile", request)).toEqual({ ok: true });
  });

  it("merges consecutive periods with equal limits", () => {
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 1,
      startSchedule: new Date(START),
      periods: halfHourPlan([0, 0, 7, 7, 7, 0, 7]),
      unit: "W",
    });
    expect(request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 0 },
      { startPeriod: 3600, limit: 7000 },
      { startPeriod: 9000, limit: 0 },
      { startPeriod: 10800, limit: 7000 },
    ]);
    expect(request.csChargingProfiles.chargingSchedule.duration).toBe(12600);
  });

  it("fills the gap before the first planned period with limit 0 so the first period starts at 0", () => {
    const request = buildSetChargingProfile16({
      connectorId: 2,
      chargingProfileId: 3,
      startSchedule: new Date(START),
      periods: halfHourPlan([7], 2),
      unit: "W",
    });
    expect(request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 0 },
      { startPeriod: 3600, limit: 7000 },
    ]);
  });

  it("uses endSchedule for the duration when given", () => {
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 3,
      startSchedule: new Date(START),
      endSchedule: new Date(START + 4 * HALF_HOUR_MS),
      periods: halfHourPlan([7]),
      unit: "W",
    });
    expect(request.csChargingProfiles.chargingSchedule.duration).toBe(7200);
  });

  it("converts kW to amps with voltage and phases, rounding down to 0.1 A and naming the phases", () => {
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 3,
      startSchedule: new Date(START),
      periods: halfHourPlan([7.4, 11]),
      unit: "A",
      voltage: 230,
      phases: 3,
    });
    // 7400 / 690 = 10.724..., 11000 / 690 = 15.942...
    expect(request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 10.7, numberPhases: 3 },
      { startPeriod: 1800, limit: 15.9, numberPhases: 3 },
    ]);
    expect(validateOcppPayload("1.6", "SetChargingProfile", request)).toEqual({ ok: true });
  });

  it("refuses amps without voltage or phases", () => {
    const base = { connectorId: 1, chargingProfileId: 1, startSchedule: new Date(START), periods: halfHourPlan([7]), unit: "A" as const };
    expect(() => buildSetChargingProfile16({ ...base, phases: 1 })).toThrow(ChargingProfileInputError);
    expect(() => buildSetChargingProfile16({ ...base, voltage: 230 })).toThrow(ChargingProfileInputError);
  });

  it("sends 99999.0 for periods at or above the rated power when fullPowerKw is given", () => {
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 3,
      startSchedule: new Date(START),
      periods: halfHourPlan([7.4, 7.4, 3, 8]),
      unit: "W",
      fullPowerKw: 7.4,
    });
    expect(request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: FULL_POWER_LIMIT },
      { startPeriod: 3600, limit: 3000 },
      { startPeriod: 5400, limit: FULL_POWER_LIMIT },
    ]);
    expect(validateOcppPayload("1.6", "SetChargingProfile", request)).toEqual({ ok: true });
  });

  it("sends exact numbers, never the sentinel, when fullPowerKw is not given", () => {
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 3,
      startSchedule: new Date(START),
      periods: halfHourPlan([7.4]),
      unit: "W",
    });
    expect(request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 7400 }]);
  });

  it("respects the charger's max periods without allowing more energy than the plan", () => {
    const kws = [7, 0, 7, 0, 6, 1, 7, 7, 0, 3];
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 3,
      startSchedule: new Date(START),
      periods: halfHourPlan(kws),
      unit: "W",
      maxPeriods: 4,
    });
    const schedule = request.csChargingProfiles.chargingSchedule;
    expect(schedule.chargingSchedulePeriod.length).toBeLessThanOrEqual(4);
    expect(schedule.chargingSchedulePeriod[0]?.startPeriod).toBe(0);
    expect(allowedEnergy(schedule.chargingSchedulePeriod, schedule.duration)).toBeLessThanOrEqual(planEnergyWh(kws) + 1e-6);
    expect(validateOcppPayload("1.6", "SetChargingProfile", request)).toEqual({ ok: true });
  });

  it("merges the cheapest neighbours first: a small step goes before a large one", () => {
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 3,
      startSchedule: new Date(START),
      periods: halfHourPlan([0, 7, 6.8]),
      unit: "W",
      maxPeriods: 2,
    });
    expect(request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 0 },
      { startPeriod: 1800, limit: 6900 },
    ]);
  });

  it("collapses everything into one averaged period when the charger allows one", () => {
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 3,
      startSchedule: new Date(START),
      periods: halfHourPlan([7.4, 0, 0, 7.4]),
      unit: "W",
      maxPeriods: 1,
    });
    expect(request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 3700 }]);
  });

  it("rejects bad input with a ChargingProfileInputError", () => {
    const base = { connectorId: 1, chargingProfileId: 1, startSchedule: new Date(START), periods: halfHourPlan([7]), unit: "W" as const };
    expect(() => buildSetChargingProfile16({ ...base, periods: [] })).toThrow(ChargingProfileInputError);
    expect(() => buildSetChargingProfile16({ ...base, chargingProfileId: 1.5 })).toThrow(/chargingProfileId/);
    expect(() => buildSetChargingProfile16({ ...base, connectorId: 0 })).toThrow(/connectorId/);
    expect(() => buildSetChargingProfile16({ ...base, periods: halfHourPlan([-1]) })).toThrow(/>= 0/);
    expect(() => buildSetChargingProfile16({ ...base, periods: [...halfHourPlan([1, 2])].reverse() })).toThrow(/does not start after/);
    expect(() => buildSetChargingProfile16({ ...base, startSchedule: new Date(START + 60_000) })).toThrow(/before startSchedule/);
    expect(() => buildSetChargingProfile16({ ...base, endSchedule: new Date(START) })).toThrow(/endSchedule/);
    expect(() => buildSetChargingProfile16({ ...base, maxPeriods: 0 })).toThrow(/maxPeriods/);
    expect(() => buildSetChargingProfile16({ ...base, startSchedule: "not a date" })).toThrow(/startSchedule/);
  });

  it("keeps validFrom and validTo as UTC instants without milliseconds", () => {
    const request = buildSetChargingProfile16({
      connectorId: 1,
      chargingProfileId: 1,
      startSchedule: new Date(START),
      validFrom: "2026-03-01T23:00:00+01:00",
      validTo: new Date(START + HALF_HOUR_MS),
      periods: halfHourPlan([7]),
      unit: "W",
    });
    expect(request.csChargingProfiles.validFrom).toBe("2026-03-01T22:00:00Z");
    expect(request.csChargingProfiles.validTo).toBe("2026-03-01T22:30:00Z");
    expect(validateOcppPayload("1.6", "SetChargingProfile", request)).toEqual({ ok: true });
  });

  it("produces schema-valid payloads that never allow more energy than the plan, for random plans", () => {
    fc.assert(
      fc.property(
        planArbitrary,
        fc.integer({ min: 0, max: 4 }),
        fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
        fc.constantFrom("W" as const, "A" as const),
        fc.constantFrom(1, 3),
        fc.boolean(),
        (kws, offsetSlots, maxPeriods, unit, phases, useFullPower) => {
          const fullPowerKw = useFullPower ? 7.4 : undefined;
          const request = buildSetChargingProfile16({
            connectorId: 1,
            chargingProfileId: 7,
            startSchedule: new Date(START),
            periods: halfHourPlan(kws, offsetSlots),
            unit,
            voltage: 230,
            phases,
            maxPeriods,
            fullPowerKw,
          });
          const result = validateOcppPayload("1.6", "SetChargingProfile", request);
          expect(result).toEqual({ ok: true });
          const schedule = request.csChargingProfiles.chargingSchedule;
          const periods = schedule.chargingSchedulePeriod;
          expect(periods[0]?.startPeriod).toBe(0);
          if (maxPeriods !== undefined) expect(periods.length).toBeLessThanOrEqual(maxPeriods);
          for (let index = 1; index < periods.length; index += 1) {
            const previous = periods[index - 1];
            const current = periods[index];
            expect(current?.startPeriod).toBeGreaterThan(previous?.startPeriod ?? -1);
            expect(current?.limit).not.toBe(previous?.limit);
          }
          // Energy in the unit's terms: convert the plan to the same unit (W or A) for comparison.
          const perKw = unit === "W" ? 1000 : 1000 / (230 * phases);
          const planned = kws.reduce((sum, kw) => sum + Math.min(kw, fullPowerKw ?? Number.POSITIVE_INFINITY) * perKw * 0.5, 0);
          const fullLimit = fullPowerKw === undefined ? FULL_POWER_LIMIT : Math.floor(fullPowerKw * perKw * 10 + 1e-9) / 10;
          expect(allowedEnergy(periods, schedule.duration, fullLimit)).toBeLessThanOrEqual(planned + 1e-6);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("follows the plan exactly, to the 0.1 rounding, when no period limit applies", () => {
    fc.assert(
      fc.property(planArbitrary, (kws) => {
        const request = buildSetChargingProfile16({
          connectorId: 1,
          chargingProfileId: 7,
          startSchedule: new Date(START),
          periods: halfHourPlan(kws),
          unit: "W",
        });
        const periods = request.csChargingProfiles.chargingSchedule.chargingSchedulePeriod;
        kws.forEach((kw, index) => {
          const limit = limitAt(periods, index * 1800) ?? Number.NaN;
          expect(limit).toBeLessThanOrEqual(kw * 1000 + 1e-6);
          expect(limit).toBeGreaterThan(kw * 1000 - 0.1 - 1e-6);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe("buildSetChargingProfile201", () => {
  it("builds one Absolute TxProfile schedule with its own id and a string transaction id", () => {
    const request = buildSetChargingProfile201({
      evseId: 1,
      profileId: 12,
      scheduleId: 1,
      transactionId: "c0ffee00-1234-4abc-8def-001122334455",
      startSchedule: new Date(START),
      periods: halfHourPlan([11, 11, 0]),
      unit: "W",
    });
    expect(request).toEqual({
      evseId: 1,
      chargingProfile: {
        id: 12,
        stackLevel: 1100,
        chargingProfilePurpose: "TxProfile",
        chargingProfileKind: "Absolute",
        transactionId: "c0ffee00-1234-4abc-8def-001122334455",
        chargingSchedule: [
          {
            id: 1,
            startSchedule: "2026-03-01T22:00:00Z",
            duration: 5400,
            chargingRateUnit: "W",
            chargingSchedulePeriod: [
              { startPeriod: 0, limit: 11000 },
              { startPeriod: 3600, limit: 0 },
            ],
          },
        ],
      },
    });
    expect(validateOcppPayload("2.0.1", "SetChargingProfile", request)).toEqual({ ok: true });
  });

  it("rejects a transaction id longer than 36 characters", () => {
    expect(() =>
      buildSetChargingProfile201({
        evseId: 1,
        profileId: 1,
        scheduleId: 1,
        transactionId: "x".repeat(37),
        startSchedule: new Date(START),
        periods: halfHourPlan([7]),
        unit: "W",
      }),
    ).toThrow(/transactionId/);
  });

  it("caps a schedule at 1024 periods even when the charger allows more", () => {
    const kws = Array.from({ length: 1500 }, (_, index) => (index % 2 === 0 ? 7 : 3));
    const request = buildSetChargingProfile201({
      evseId: 1,
      profileId: 1,
      scheduleId: 1,
      startSchedule: new Date(START),
      periods: halfHourPlan(kws),
      unit: "W",
      maxPeriods: 5000,
    });
    const schedule = request.chargingProfile.chargingSchedule[0];
    expect(schedule.chargingSchedulePeriod.length).toBeLessThanOrEqual(1024);
    expect(validateOcppPayload("2.0.1", "SetChargingProfile", request)).toEqual({ ok: true });
  });

  it("produces schema-valid payloads for random plans", () => {
    fc.assert(
      fc.property(
        planArbitrary,
        fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
        fc.constantFrom("W" as const, "A" as const),
        fc.option(fc.string({ minLength: 1, maxLength: 36 }), { nil: undefined }),
        (kws, maxPeriods, unit, transactionId) => {
          const request = buildSetChargingProfile201({
            evseId: 2,
            profileId: 99,
            scheduleId: 3,
            transactionId,
            startSchedule: new Date(START),
            periods: halfHourPlan(kws),
            unit,
            voltage: 230,
            phases: 1,
            maxPeriods,
            fullPowerKw: 7.4,
          });
          expect(validateOcppPayload("2.0.1", "SetChargingProfile", request)).toEqual({ ok: true });
          if (maxPeriods !== undefined) {
            expect(request.chargingProfile.chargingSchedule[0].chargingSchedulePeriod.length).toBeLessThanOrEqual(maxPeriods);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("validateOcppPayload", () => {
  const valid16 = buildSetChargingProfile16({
    connectorId: 1,
    chargingProfileId: 1,
    startSchedule: new Date(START),
    periods: halfHourPlan([7]),
    unit: "W",
  });

  it("rejects the published example's null chargingProfileId", () => {
    const payload = { ...valid16, csChargingProfiles: { ...valid16.csChargingProfiles, chargingProfileId: null } };
    const result = validateOcppPayload("1.6", "SetChargingProfile", payload);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join("\n")).toMatch(/chargingProfileId must be integer/);
  });

  it("rejects limits that are not multiples of 0.1 in 1.6", () => {
    const schedule = valid16.csChargingProfiles.chargingSchedule;
    const payload = {
      ...valid16,
      csChargingProfiles: {
        ...valid16.csChargingProfiles,
        chargingSchedule: { ...schedule, chargingSchedulePeriod: [{ startPeriod: 0, limit: 7.05 }] },
      },
    };
    expect(validateOcppPayload("1.6", "SetChargingProfile", payload).ok).toBe(false);
  });

  it("rejects unknown enum values, missing fields and extra top-level fields", () => {
    const badPurpose = { ...valid16, csChargingProfiles: { ...valid16.csChargingProfiles, chargingProfilePurpose: "Tx" } };
    expect(validateOcppPayload("1.6", "SetChargingProfile", badPurpose).ok).toBe(false);
    expect(validateOcppPayload("1.6", "SetChargingProfile", { connectorId: 1 }).ok).toBe(false);
    const extra = validateOcppPayload("1.6", "SetChargingProfile", { ...valid16, surprise: true });
    expect(extra).toEqual({ ok: false, errors: ["payload must NOT have additional properties (surprise)"] });
    expect(validateOcppPayload("1.6", "SetChargingProfile", null).ok).toBe(false);
  });

  it("rejects 2.0.1 payloads with four schedules, a long transaction id or no periods", () => {
    const valid201 = buildSetChargingProfile201({
      evseId: 1,
      profileId: 1,
      scheduleId: 1,
      startSchedule: new Date(START),
      periods: halfHourPlan([7]),
      unit: "W",
    });
    const schedule = valid201.chargingProfile.chargingSchedule[0];
    const fourSchedules = { ...valid201, chargingProfile: { ...valid201.chargingProfile, chargingSchedule: [schedule, schedule, schedule, schedule] } };
    expect(validateOcppPayload("2.0.1", "SetChargingProfile", fourSchedules).ok).toBe(false);
    const longTransaction = { ...valid201, chargingProfile: { ...valid201.chargingProfile, transactionId: "x".repeat(37) } };
    expect(validateOcppPayload("2.0.1", "SetChargingProfile", longTransaction).ok).toBe(false);
    const noPeriods = {
      ...valid201,
      chargingProfile: { ...valid201.chargingProfile, chargingSchedule: [{ ...schedule, chargingSchedulePeriod: [] }] },
    };
    expect(validateOcppPayload("2.0.1", "SetChargingProfile", noPeriods).ok).toBe(false);
    // A 1.6 body is not a 2.0.1 body.
    expect(validateOcppPayload("2.0.1", "SetChargingProfile", valid16).ok).toBe(false);
  });

  it("validates ClearChargingProfile requests too", () => {
    expect(validateOcppPayload("1.6", "ClearChargingProfile", { id: 1 })).toEqual({ ok: true });
    expect(validateOcppPayload("1.6", "ClearChargingProfile", { id: "1" }).ok).toBe(false);
  });
});
