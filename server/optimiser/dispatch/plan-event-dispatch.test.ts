import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planEventDispatch, type DispatchBattery, type DispatchCharger, type DispatchEvent } from "./plan-event-dispatch";

const turnDown: DispatchEvent = { direction: "turn_down", start: "2026-01-14T17:00:00.000Z", end: "2026-01-14T18:00:00.000Z", targetKw: 5, headroomPct: 20 };

const battery = (assetId: string, overrides: Partial<DispatchBattery> = {}): DispatchBattery => ({
  assetId,
  online: true,
  consented: true,
  socPct: 80,
  capacityKwh: 10,
  maxChargeKw: 3,
  maxDischargeKw: 3,
  dischargeFloorPct: 20,
  socMaxPct: 100,
  ...overrides,
});

const charger = (assetId: string, overrides: Partial<DispatchCharger> = {}): DispatchCharger => ({
  assetId,
  pluggedIn: true,
  consented: true,
  plannedKw: 7,
  maxKw: 7.4,
  ...overrides,
});

describe("planEventDispatch", () => {
  it("excludes assets with a reason code and never asks them for anything", () => {
    const plan = planEventDispatch({
      event: turnDown,
      batteries: [
        battery("b-offline", { online: false }),
        battery("b-no-consent", { consented: false }),
        battery("b-at-floor", { socPct: 20 }),
        battery("b-ok"),
      ],
      chargers: [charger("c-unplugged", { pluggedIn: false }), charger("c-idle", { plannedKw: 0 }), charger("c-ok")],
    });
    expect(plan.excluded).toEqual([
      { assetId: "b-at-floor", kind: "battery", reason: "insufficient_energy" },
      { assetId: "b-no-consent", kind: "battery", reason: "no_consent" },
      { assetId: "b-offline", kind: "battery", reason: "offline" },
      { assetId: "c-idle", kind: "charger", reason: "no_flexibility" },
      { assetId: "c-unplugged", kind: "charger", reason: "not_plugged_in" },
    ]);
    expect(plan.participants.map((p) => p.assetId)).toEqual(["b-ok", "c-ok"]);
  });

  it("reaches target plus headroom pro rata when the fleet has more than enough", () => {
    const plan = planEventDispatch({ event: turnDown, batteries: [battery("b1"), battery("b2")], chargers: [charger("c1")] });
    expect(plan.goalKw).toBe(6);
    expect(plan.plannedKw).toBe(6);
    expect(plan.reachesGoal).toBe(true);
    expect(plan.reachesTarget).toBe(true);
    const [b1, b2, c1] = plan.participants;
    expect(b1?.assignedKw).toBeCloseTo(b2?.assignedKw ?? 0, 2);
    expect(b1?.setpointKw).toBeLessThan(0);
    // The charger pauses part of its planned 7 kW rather than discharging.
    expect(c1?.setpointKw).toBeGreaterThanOrEqual(0);
    expect(c1?.setpointKw).toBeLessThan(7);
  });

  it("caps each battery at what it can sustain for the whole window above floor and reserve", () => {
    // 2 kWh above the floor, 1 kWh reserved for the householder, over a 2-hour window: 0.5 kW.
    const event: DispatchEvent = { ...turnDown, end: "2026-01-14T19:00:00.000Z", targetKw: 50 };
    const plan = planEventDispatch({ event, batteries: [battery("b1", { socPct: 40, reserveForNextIntentKwh: 1 })], chargers: [] });
    expect(plan.participants[0]?.assignedKw).toBe(0.5);
    expect(plan.participants[0]?.setpointKw).toBe(-0.5);
    expect(plan.reachesTarget).toBe(false);
    expect(plan.shortfallKw).toBe(59.5);
  });

  it("charges batteries up to their SoC ceiling and raises chargers to their maximum on a turn-up event", () => {
    const event: DispatchEvent = { ...turnDown, direction: "turn_up", targetKw: 4, headroomPct: 0 };
    const plan = planEventDispatch({
      event,
      batteries: [battery("b-full", { socPct: 100 }), battery("b-room", { socPct: 90 })],
      chargers: [charger("c1", { plannedKw: 2, maxKw: 7 })],
    });
    expect(plan.excluded).toEqual([{ assetId: "b-full", kind: "battery", reason: "battery_full" }]);
    const battery90 = plan.participants.find((p) => p.assetId === "b-room");
    // 1 kWh of room over one hour.
    expect(battery90?.availableKw).toBe(1);
    expect(battery90?.setpointKw).toBeGreaterThan(0);
    expect(plan.plannedKw).toBe(4);
  });

  it("keeps the power a charger needs to meet its ready-by intent", () => {
    const plan = planEventDispatch({ event: { ...turnDown, targetKw: 20 }, batteries: [], chargers: [charger("c1", { plannedKw: 7, minKw: 3 })] });
    expect(plan.participants[0]?.setpointKw).toBe(3);
    expect(plan.participants[0]?.assignedKw).toBe(4);
  });

  it("rejects a window that is not aligned to half-hours", () => {
    expect(() => planEventDispatch({ event: { ...turnDown, start: "2026-01-14T17:10:00.000Z" }, batteries: [], chargers: [] })).toThrow(/half-hours/);
  });

  it("is deterministic, never exceeds any asset's availability and reaches the goal whenever the fleet can", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ socPct: fc.integer({ min: 0, max: 100 }), maxDischargeKw: fc.integer({ min: 0, max: 6 }), online: fc.boolean(), consented: fc.boolean(), plannedKw: fc.integer({ min: -3, max: 3 }) }), { maxLength: 12 }),
        fc.array(fc.record({ plannedKw: fc.integer({ min: 0, max: 11 }), pluggedIn: fc.boolean() }), { maxLength: 8 }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom<"turn_down" | "turn_up">("turn_down", "turn_up"),
        (batteries, chargers, targetKw, direction) => {
          const input = {
            event: { ...turnDown, direction, targetKw },
            batteries: batteries.map((b, i) => battery(`b${String(i).padStart(2, "0")}`, { ...b, maxChargeKw: b.maxDischargeKw })),
            chargers: chargers.map((c, i) => charger(`c${i}`, { ...c, maxKw: 11 })),
          };
          const plan = planEventDispatch(input);
          expect(planEventDispatch(input)).toEqual(plan);
          for (const participant of plan.participants) {
            expect(participant.assignedKw).toBeGreaterThan(0);
            expect(participant.assignedKw).toBeLessThanOrEqual(participant.availableKw);
          }
          const sum = plan.participants.reduce((total, p) => total + p.assignedKw, 0);
          expect(plan.plannedKw).toBeCloseTo(sum, 6);
          expect(plan.reachesGoal).toBe(plan.availableKw >= plan.goalKw);
          expect(plan.plannedKw).toBeLessThanOrEqual(plan.goalKw + 1e-9);
          expect(plan.participants.length + plan.excluded.length).toBeLessThanOrEqual(batteries.length + chargers.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
