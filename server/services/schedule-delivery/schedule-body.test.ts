import { describe, expect, it } from "vitest";
import type { StoredPlanSlot } from "@/db/schema";
import { planChargingSession } from "@/server/optimiser/charging";
import { validateOcppPayload } from "@/server/ocpp";
import { buildScheduleBody, chargingProfileIdForSession, periodsFromSlots } from "./schedule-body";
import { halfHourSlots } from "./test-support";

const sessionId = "4f1c2d3e-aaaa-4bbb-8ccc-0123456789ab";

describe("schedule push bodies", () => {
  it("builds an OCPP 1.6 SetChargingProfile that the official schema accepts: TxProfile, Absolute, stack 1100, W, integer ids, a limit per slot", () => {
    const result = buildScheduleBody({
      ocppVersion: "1.6",
      sessionId,
      planVersion: 3,
      slots: halfHourSlots("2026-03-01T23:00:00Z", [0, 3.7, 7.4, 2.25]),
      chargerPowerKw: 7.4,
      transactionId: 42,
      assetProperties: { connector_id: 2 },
    });
    if (!result.ok) throw new Error(result.reason);
    expect(validateOcppPayload("1.6", "SetChargingProfile", result.body)).toEqual({ ok: true });
    expect(result.body).toEqual({
      connectorId: 2,
      csChargingProfiles: {
        chargingProfileId: chargingProfileIdForSession(sessionId),
        transactionId: 42,
        stackLevel: 1100,
        chargingProfilePurpose: "TxProfile",
        chargingProfileKind: "Absolute",
        chargingSchedule: {
          duration: 4 * 1800,
          startSchedule: "2026-03-01T23:00:00Z",
          chargingRateUnit: "W",
          chargingSchedulePeriod: [
            { startPeriod: 0, limit: 0 },
            { startPeriod: 1800, limit: 3700 },
            { startPeriod: 3600, limit: 99999.0 },
            { startPeriod: 5400, limit: 2250 },
          ],
        },
      },
    });
    expect(Number.isInteger(chargingProfileIdForSession(sessionId))).toBe(true);
  });

  it("builds an OCPP 2.0.1 SetChargingProfileRequest that the official schema accepts", () => {
    const result = buildScheduleBody({
      ocppVersion: "2.0.1",
      sessionId,
      planVersion: 5,
      slots: halfHourSlots("2026-03-01T23:00:00Z", [7.4, 0, 1.5]),
      chargerPowerKw: 11,
      transactionId: 9,
      assetProperties: {},
    });
    if (!result.ok) throw new Error(result.reason);
    expect(validateOcppPayload("2.0.1", "SetChargingProfile", result.body)).toEqual({ ok: true });
    expect(result.body).toMatchObject({
      evseId: 1,
      chargingProfile: {
        id: chargingProfileIdForSession(sessionId),
        stackLevel: 1100,
        chargingProfilePurpose: "TxProfile",
        chargingProfileKind: "Absolute",
        transactionId: "9",
        chargingSchedule: [{ id: 5, chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 7400 }, { startPeriod: 1800, limit: 0 }, { startPeriod: 3600, limit: 1500 }] }],
      },
    });
  });

  it("sends a gap between slots as 0 W instead of stretching the slot before it", () => {
    const slots = [...halfHourSlots("2026-03-01T23:00:00Z", [7]), ...halfHourSlots("2026-03-02T01:00:00Z", [5])];
    const converted = periodsFromSlots(slots);
    expect(converted?.periods.map((p) => [new Date(p.start).toISOString(), p.kw])).toEqual([
      ["2026-03-01T23:00:00.000Z", 7],
      ["2026-03-01T23:30:00.000Z", 0],
      ["2026-03-02T01:00:00.000Z", 5],
    ]);
    expect(converted?.end).toBe("2026-03-02T01:30:00.000Z");
  });

  it("reports a plan it cannot turn into a valid body instead of producing one", () => {
    const empty = buildScheduleBody({ ocppVersion: "1.6", sessionId, planVersion: 1, slots: [], chargerPowerKw: 7, transactionId: null, assetProperties: {} });
    expect(empty).toEqual({ ok: false, reason: "the plan has no slots to deliver" });
    const overlapping = buildScheduleBody({
      ocppVersion: "1.6",
      sessionId,
      planVersion: 1,
      slots: [...halfHourSlots("2026-03-01T23:00:00Z", [7]), ...halfHourSlots("2026-03-01T23:00:00Z", [5])],
      chargerPowerKw: 7,
      transactionId: null,
      assetProperties: {},
    });
    expect(overlapping.ok).toBe(false);
  });
});

describe("charge-now that ends inside a half hour", () => {
  // The driver asked for full power until 13:49; the 13:30–14:00 slot must not be averaged.
  const slots = ["2026-03-02T13:00:00Z", "2026-03-02T13:30:00Z", "2026-03-02T14:00:00Z", "2026-03-02T14:30:00Z"].map((start, i) => ({
    start: new Date(start),
    end: new Date(Date.parse(start) + 1_800_000),
    pencePerKwh: i < 2 ? 30 : 5,
  }));
  const plan = planChargingSession({
    slots,
    windowStart: new Date("2026-03-02T13:00:00Z"),
    windowEnd: new Date("2026-03-02T15:00:00Z"),
    energyRequiredKwh: 9,
    chargerMaxKw: 7,
    mayChargePeak: false,
    chargingMode: "minimise_charging_time",
    chargeNowUntil: new Date("2026-03-02T13:49:00Z"),
  });
  const stored: StoredPlanSlot[] = plan.slots.map((slot) => ({
    start: slot.start.toISOString(),
    end: slot.end.toISOString(),
    kw: slot.kw,
    kwh: slot.kwh,
    pencePerKwh: slot.pencePerKwh,
    ...(slot.periods ? { periods: slot.periods.map((step) => ({ start: step.start.toISOString(), kw: step.kw })) } : {}),
  }));

  it("plans full power until end_at and the rest of the slot after it", () => {
    const edge = plan.slots[1];
    expect(edge?.periods?.map((step) => [step.start.toISOString(), Number(step.kw.toFixed(6))])).toEqual([
      ["2026-03-02T13:30:00.000Z", 7],
      ["2026-03-02T13:49:00.000Z", 0],
    ]);
    // Energy is unchanged: 3.5 kWh in the first slot, 7 kW for 19 minutes, the rest where it is cheap.
    expect(plan.slots.map((slot) => Number(slot.kwh.toFixed(6)))).toEqual([3.5, Number(((7 * 19) / 60).toFixed(6)), Number((9 - 3.5 - (7 * 19) / 60).toFixed(6)), 0]);
  });

  it.each(["1.6", "2.0.1"] as const)("sends the step as a period starting mid-slot, without a made-up transaction id (OCPP %s schema)", (ocppVersion) => {
    const result = buildScheduleBody({ ocppVersion, sessionId, planVersion: 1, slots: stored, chargerPowerKw: 7, transactionId: null, assetProperties: {} });
    if (!result.ok) throw new Error(result.reason);
    expect(validateOcppPayload(ocppVersion, "SetChargingProfile", result.body)).toEqual({ ok: true });
    const profile = (ocppVersion === "1.6" ? result.body.csChargingProfiles : result.body.chargingProfile) as Record<string, unknown>;
    expect(profile).not.toHaveProperty("transactionId");
    const schedule = (ocppVersion === "1.6" ? profile.chargingSchedule : (profile.chargingSchedule as unknown[])[0]) as { startSchedule: string; chargingSchedulePeriod: { startPeriod: number; limit: number }[] };
    expect(schedule.startSchedule).toBe("2026-03-02T13:00:00Z");
    // Full power (the documented sentinel) from 13:00 to 13:49, nothing from 13:49 to 14:00, then the cheap slot.
    expect(schedule.chargingSchedulePeriod.map((period) => [period.startPeriod, period.limit])).toEqual([
      [0, 99999],
      [49 * 60, 0],
      // Limits go down to the 0.1 W step, never above what was planned.
      [60 * 60, Math.floor(((9 - 3.5 - (7 * 19) / 60) / 0.5) * 10_000) / 10],
      [90 * 60, 0],
    ]);
  });
});
