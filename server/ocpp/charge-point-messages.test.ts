import { describe, expect, it } from "vitest";
import {
  buildClearChargingProfile,
  buildGetCompositeSchedule,
  callErrorCodeFor,
  compareAppliedSchedule,
  energyRegisterReadings,
  plugStateOfStatus,
  transactionEventMeaning,
} from "./charge-point-messages";
import { buildSetChargingProfile16 } from "./set-charging-profile-16";
import { buildSetChargingProfile201 } from "./set-charging-profile-201";
import { validateOcppMessage } from "./validate-payload";

const start = "2026-12-03T22:00:00Z";
const periods = [
  { start: "2026-12-03T22:00:00Z", kw: 0 },
  { start: "2026-12-03T23:30:00Z", kw: 3.7 },
  { start: "2026-12-04T01:00:00Z", kw: 7.4 },
];

describe("plug state from connector status", () => {
  it.each([
    ["1.6", "Preparing", "plugged_in"],
    ["1.6", "Charging", "plugged_in"],
    ["1.6", "SuspendedEV", "plugged_in"],
    ["1.6", "Finishing", "plugged_in"],
    ["1.6", "Available", "unplugged"],
    ["1.6", "Faulted", null],
    ["1.6", "Reserved", null],
    ["2.0.1", "Occupied", "plugged_in"],
    ["2.0.1", "Available", "unplugged"],
    ["2.0.1", "Unavailable", null],
  ] as const)("%s %s is %s", (version, status, expected) => {
    expect(plugStateOfStatus(version, status)).toBe(expected);
  });
});

describe("meter values", () => {
  it("reads the 1.6 import register in Wh or kWh, defaulting the measurand, skipping phases and other measurands", () => {
    const readings = energyRegisterReadings([
      { timestamp: "2026-12-03T22:00:00Z", sampledValue: [{ value: "1500" }, { value: "7", measurand: "Power.Active.Import", unit: "kW" }, { value: "500", phase: "L1" }] },
      { timestamp: "2026-12-03T22:30:00Z", sampledValue: [{ value: "2.25", measurand: "Energy.Active.Import.Register", unit: "kWh" }] },
      { timestamp: "not a time", sampledValue: [{ value: "1" }] },
    ]);
    expect(readings).toEqual([
      { at: new Date("2026-12-03T22:00:00Z"), kwh: 1.5 },
      { at: new Date("2026-12-03T22:30:00Z"), kwh: 2.25 },
    ]);
  });

  it("reads 2.0.1 numeric values with unitOfMeasure and its power-of-ten multiplier", () => {
    const readings = energyRegisterReadings([{ timestamp: "2026-12-03T22:00:00Z", sampledValue: [{ value: 12.5, unitOfMeasure: { unit: "Wh", multiplier: 3 } }] }]);
    expect(readings).toEqual([{ at: new Date("2026-12-03T22:00:00Z"), kwh: 12.5 }]);
  });
});

describe("2.0.1 transaction events", () => {
  it("reads the phase, transaction, cable events and meter values", () => {
    const meaning = transactionEventMeaning({
      eventType: "Started",
      timestamp: start,
      triggerReason: "CablePluggedIn",
      transactionInfo: { transactionId: "abc" },
      evse: { id: 2 },
      meterValue: [{ timestamp: start, sampledValue: [{ value: 10, unitOfMeasure: { unit: "kWh" } }] }],
    });
    expect(meaning).toEqual({ transactionId: "abc", phase: "started", evseId: 2, plug: "plugged_in", at: new Date(start), meterReadings: [{ at: new Date(start), kwh: 10 }] });
    expect(transactionEventMeaning({ eventType: "Ended", timestamp: start, triggerReason: "EVDeparted", transactionInfo: { transactionId: "abc" } }).plug).toBe("unplugged");
    expect(transactionEventMeaning({ eventType: "Updated", timestamp: start, triggerReason: "MeterValuePeriodic", transactionInfo: { transactionId: "abc" } }).plug).toBeNull();
  });
});

describe("commands the central system sends", () => {
  it("builds schema-valid ClearChargingProfile and GetCompositeSchedule requests for both versions", () => {
    for (const version of ["1.6", "2.0.1"] as const) {
      expect(validateOcppMessage(version, "ClearChargingProfile", "Request", buildClearChargingProfile(version, 1234))).toEqual({ ok: true });
      expect(validateOcppMessage(version, "GetCompositeSchedule", "Request", buildGetCompositeSchedule(version, 1, 3600.4))).toEqual({ ok: true });
    }
    expect(buildClearChargingProfile("1.6", 7)).toEqual({ id: 7 });
    expect(buildClearChargingProfile("2.0.1", 7)).toEqual({ chargingProfileId: 7 });
  });

  it("answers 1.6 chargers in 1.6 error codes", () => {
    expect(callErrorCodeFor("1.6", "RpcFrameworkError")).toBe("FormationViolation");
    expect(callErrorCodeFor("1.6", "OccurrenceConstraintViolation")).toBe("OccurenceConstraintViolation");
    expect(callErrorCodeFor("1.6", "TypeConstraintViolation")).toBe("TypeConstraintViolation");
    expect(callErrorCodeFor("1.6", "SomethingNew")).toBe("GenericError");
    expect(callErrorCodeFor("2.0.1", "RpcFrameworkError")).toBe("RpcFrameworkError");
  });
});

describe("applied schedule against the plan", () => {
  const sent16 = buildSetChargingProfile16({ connectorId: 1, chargingProfileId: 5, transactionId: 9, periods, startSchedule: start, unit: "W", fullPowerKw: 7.4 }) as unknown as Record<string, unknown>;
  const schedule16 = (sent16.csChargingProfiles as { chargingSchedule: Record<string, unknown> }).chargingSchedule;

  it("matches when the charger reports what was sent, even as full power at its own maximum", () => {
    const reported = { ...schedule16, chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }, { startPeriod: 5400, limit: 3700 }, { startPeriod: 10800, limit: 7360 }] };
    const result = compareAppliedSchedule("1.6", sent16, { status: "Accepted", connectorId: 1, scheduleStart: start, chargingSchedule: reported });
    expect(result.matches).toBe(true);
  });

  it("says where the charger differs", () => {
    const reported = { ...schedule16, chargingSchedulePeriod: [{ startPeriod: 0, limit: 0 }, { startPeriod: 5400, limit: 2000 }] };
    const result = compareAppliedSchedule("1.6", sent16, { status: "Accepted", connectorId: 1, scheduleStart: start, chargingSchedule: reported });
    expect(result).toEqual({ matches: false, summary: "from 2026-12-03T23:30:00Z the plan allows 3700 W but the charger applies 2000 W" });
  });

  it("compares a 2.0.1 composite schedule that starts later than the profile over the time both cover", () => {
    const sent = buildSetChargingProfile201({ evseId: 1, profileId: 5, scheduleId: 1, transactionId: "t", periods, startSchedule: start, unit: "W" }) as unknown as Record<string, unknown>;
    const composite = {
      status: "Accepted",
      schedule: { evseId: 1, duration: 3600, scheduleStart: "2026-12-04T00:00:00Z", chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 3700 }, { startPeriod: 3600, limit: 7400 }] },
    };
    expect(compareAppliedSchedule("2.0.1", sent, composite).matches).toBe(true);
    expect(compareAppliedSchedule("2.0.1", sent, { status: "Rejected" })).toEqual({ matches: false, summary: "the charger refused to report its schedule (Rejected)" });
  });
});
