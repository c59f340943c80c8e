import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planChargingSession } from "./plan-session";
import {
  bruteForceSession,
  geometry,
  halfHourSlots,
  lexCompare,
  planFreeVector,
  sessionArbitrary,
} from "./test-support";
import type { ChargingSessionInput } from "./types";

const kwhs = (input: ChargingSessionInput): number[] =>
  planChargingSession(input).slots.map((slot) => Math.round(slot.kwh * 1000) / 1000);

function session(
  overrides: Partial<ChargingSessionInput> & Pick<ChargingSessionInput, "slots">,
): ChargingSessionInput {
  const first = overrides.slots[0];
  const last = overrides.slots[overrides.slots.length - 1];
  return {
    windowStart: first?.start ?? new Date(0),
    windowEnd: last?.end ?? new Date(0),
    energyRequiredKwh: 7,
    chargerMaxKw: 7,
    mayChargePeak: false,
    chargingMode: "minimise_charging_time",
    ...overrides,
  };
}

describe("planChargingSession", () => {
  it("charges in the cheapest slots and reports cost, baseline and saving", () => {
    const plan = planChargingSession(
      session({ slots: halfHourSlots("2026-01-10T22:00:00Z", [30, 20, 10, 5, 5, 10]), energyRequiredKwh: 7 }),
    );
    expect(plan.slots.map((slot) => slot.kwh)).toEqual([0, 0, 0, 3.5, 3.5, 0]);
    expect(plan.slots.map((slot) => slot.kw)).toEqual([0, 0, 0, 7, 7, 0]);
    expect(plan.costPence).toBe(35);
    expect(plan.baselineCostPence).toBe(3.5 * 30 + 3.5 * 20);
    expect(plan.savingPence).toBe(175 - 35);
    expect(plan.met).toBe(true);
    expect(plan.shortfallKwh).toBe(0);
  });

  it("breaks cost ties in favour of the operator: outside turn-down events, then low market price", () => {
    const slots = halfHourSlots("2026-01-10T22:00:00Z", [10, 10, 10, 10], (i) => ({
      marketPriceGbpPerMwh: [40, 20, 30, 5][i],
      turnDownEvent: i === 3,
    }));
    expect(kwhs(session({ slots, energyRequiredKwh: 7 }))).toEqual([0, 3.5, 3.5, 0]);
  });

  it("takes negative prices first but stops at the kWh in minimise_charging_time", () => {
    const plan = planChargingSession(
      session({ slots: halfHourSlots("2026-01-10T22:00:00Z", [5, -10, -2, 5]), energyRequiredKwh: 3.5 }),
    );
    expect(plan.slots.map((slot) => slot.kwh)).toEqual([0, 3.5, 0, 0]);
    expect(plan.costPence).toBe(-35);
    expect(plan.baselineCostPence).toBe(18); // 3.5 kWh at 5p from the start, 17.5p rounded
    expect(plan.savingPence).toBe(53);
  });

  it("gives edge slots of a window that starts and ends mid-slot proportionally less energy", () => {
    const slots = halfHourSlots("2026-01-10T22:00:00Z", [1, 50, 50, 1]);
    const start = new Date("2026-01-10T22:20:00Z"); // 10 minutes left in slot 1
    const end = new Date("2026-01-10T23:40:00Z"); // 10 minutes of slot 4
    const plan = planChargingSession(
      session({ slots, windowStart: start, windowEnd: end, energyRequiredKwh: 3, chargerMaxKw: 6 }),
    );
    expect(plan.slots[0]?.start.toISOString()).toBe("2026-01-10T22:20:00.000Z");
    expect(plan.slots[3]?.end.toISOString()).toBe("2026-01-10T23:40:00.000Z");
    // 10 minutes at 6 kW is 1 kWh in each edge slot; the third kWh comes from the earlier of the 50p slots.
    expect(plan.slots.map((slot) => Math.round(slot.kwh * 1000) / 1000)).toEqual([1, 1, 0, 1]);
    expect(plan.slots[0]?.kw).toBeCloseTo(6);
  });

  it("charges as fast as allowed and flags the session when the kWh cannot be met", () => {
    const slots = halfHourSlots("2026-01-10T22:00:00Z", [10, 30, 10], (i) => ({ peak: i === 1 }));
    const plan = planChargingSession(session({ slots, energyRequiredKwh: 20, chargerMaxKw: 7 }));
    expect(plan.met).toBe(false);
    expect(plan.shortfallKwh).toBeCloseTo(13);
    expect(plan.slots.map((slot) => slot.kw)).toEqual([7, 0, 7]);
    const allowedPeak = planChargingSession(
      session({ slots, energyRequiredKwh: 20, chargerMaxKw: 7, mayChargePeak: true }),
    );
    expect(allowedPeak.slots.map((slot) => slot.kw)).toEqual([7, 7, 7]);
    expect(allowedPeak.shortfallKwh).toBeCloseTo(9.5);
  });

  it("never charges at peak when may_charge_peak is false, even if peak is cheaper", () => {
    const slots = halfHourSlots("2026-01-10T22:00:00Z", [20, 1, 20], (i) => ({ peak: i === 1 }));
    expect(kwhs(session({ slots, energyRequiredKwh: 3.5 }))).toEqual([3.5, 0, 0]);
  });

  it("uses peak only once off-peak time cannot meet the kWh when may_charge_peak is true", () => {
    const slots = halfHourSlots("2026-01-10T22:00:00Z", [20, 1, 20], (i) => ({ peak: i === 1 }));
    expect(kwhs(session({ slots, energyRequiredKwh: 3.5, mayChargePeak: true }))).toEqual([3.5, 0, 0]);
    expect(kwhs(session({ slots, energyRequiredKwh: 8, mayChargePeak: true }))).toEqual([3.5, 1, 3.5]);
  });

  it("charges at full power from the start during charge-now, whatever it costs", () => {
    const slots = halfHourSlots("2026-01-10T17:00:00Z", [40, 40, 5, 5], (i) => ({ peak: i < 2 }));
    const plan = planChargingSession(
      session({ slots, energyRequiredKwh: 7, chargeNowUntil: new Date("2026-01-10T17:45:00Z") }),
    );
    expect(plan.slots.map((slot) => slot.kwh)).toEqual([3.5, 1.75, 1.75, 0]);
    // minimise_charging_time stops at the kWh even inside charge-now.
    expect(
      kwhs(session({ slots, energyRequiredKwh: 2, chargeNowUntil: new Date("2026-01-10T18:00:00Z") })),
    ).toEqual([2, 0, 0, 0]);
  });

  it("uses every allowed off-peak slot in maximise_charging_time (the kWh is a minimum)", () => {
    const slots = halfHourSlots("2026-01-10T22:00:00Z", [10, 30, 10, 12], (i) => ({ peak: i === 1 }));
    const plan = planChargingSession(
      session({ slots, energyRequiredKwh: 3, chargingMode: "maximise_charging_time" }),
    );
    expect(plan.slots.map((slot) => slot.kwh)).toEqual([3.5, 0, 3.5, 3.5]);
    expect(plan.energyKwh).toBe(10.5);
    expect(plan.met).toBe(true);
    expect(plan.baselineCostPence).toBe(Math.round(3.5 * 10 + 3.5 * 30 + 3.5 * 10));
  });

  it("plans a window across midnight on the 50-period day with ready-by after midnight", () => {
    // 2026-10-25: 01:00-02:00 local happens twice; the slots are UTC half-hours.
    const slots = halfHourSlots("2026-10-24T22:00:00Z", [30, 30, 10, 10, 10, 10, 2, 2, 10, 30], (i) => ({
      peak: i < 2 || i > 8,
    }));
    const plan = planChargingSession(session({ slots, energyRequiredKwh: 10, chargerMaxKw: 7.4 }));
    expect(plan.slots).toHaveLength(10);
    expect(plan.slots[6]?.kwh).toBeCloseTo(3.7);
    expect(plan.slots[7]?.kwh).toBeCloseTo(3.7);
    expect(plan.energyKwh).toBeCloseTo(10);
  });

  it("accepts slots out of order and ignores slots outside the window", () => {
    const slots = halfHourSlots("2026-01-10T22:00:00Z", [9, 5, 7, 1]);
    const shuffled = [slots[2], slots[0], slots[3], slots[1]].filter((slot) => slot !== undefined);
    const plan = planChargingSession(
      session({
        slots: shuffled,
        windowStart: slots[0]?.start ?? new Date(0),
        windowEnd: slots[2]?.end ?? new Date(0),
        energyRequiredKwh: 3.5,
      }),
    );
    expect(plan.slots.map((slot) => slot.kwh)).toEqual([0, 3.5, 0]);
  });

  it("plans nothing for zero energy and rounds cost to whole pence", () => {
    expect(
      planChargingSession(
        session({ slots: halfHourSlots("2026-01-10T22:00:00Z", [5]), energyRequiredKwh: 0 }),
      ).costPence,
    ).toBe(0);
    const plan = planChargingSession(
      session({ slots: halfHourSlots("2026-01-10T22:00:00Z", [7.33]), energyRequiredKwh: 1.5 }),
    );
    expect(plan.costPence).toBe(11);
    expect(Number.isInteger(plan.savingPence)).toBe(true);
  });
});

describe("planChargingSession is optimal (property)", () => {
  it("matches a brute force over every vertex on thousands of random sessions", () => {
    fc.assert(
      fc.property(sessionArbitrary(7), (input) => {
        const plan = planChargingSession(input);
        const geo = geometry(input);
        expect(plan.slots).toHaveLength(geo.length);
        // Feasible: within capacity, peak only when allowed, non-negative.
        plan.slots.forEach((slot, i) => {
          const g = geo[i];
          expect(g).toBeDefined();
          if (g === undefined) return;
          expect(slot.kwh).toBeGreaterThanOrEqual(-1e-12);
          expect(slot.kwh).toBeLessThanOrEqual(g.forced + g.free + 1e-9);
        });
        const reference = bruteForceSession(input);
        expect(plan.energyKwh).toBeCloseTo(reference.energy, 6);
        const { vector } = planFreeVector(input, plan);
        expect(lexCompare(vector, reference.vector, 1e-6)).toBe(0);
        expect(plan.met).toBe(plan.energyKwh >= input.energyRequiredKwh - 1e-6);
        expect(plan.costPence).toBe(
          Math.round(plan.slots.reduce((sum, slot) => sum + slot.kwh * slot.pencePerKwh, 0)) + 0,
        );
        expect(plan.savingPence).toBe(plan.baselineCostPence - plan.costPence);
      }),
      { numRuns: 3000, seed: 20260329 },
    );
  });

  it("never costs more than charging now for the same energy when no slot is peak", () => {
    fc.assert(
      fc.property(sessionArbitrary(8, { chargeNow: false }), (input) => {
        const slots = input.slots.map((slot) => ({ ...slot, peak: false }));
        const plan = planChargingSession({ ...input, slots, chargingMode: "minimise_charging_time" });
        expect(plan.savingPence).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 1000, seed: 7 },
    );
  });
});
