import { describe, expect, it } from "vitest";
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
