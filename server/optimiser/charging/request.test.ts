import { describe, expect, it } from "vitest";
import { runPlanChargingRequest, type PlanChargingAnswer } from "./request";

async function answerOf(request: unknown): Promise<PlanChargingAnswer> {
  const result = await runPlanChargingRequest(request);
  if (!result.ok) throw new Error(result.error.message);
  return result.answer;
}

async function issuesOf(request: unknown): Promise<string[]> {
  const result = await runPlanChargingRequest(request);
  if (result.ok) throw new Error("expected a validation error");
  return result.error.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

const tariff = { off_peak_times: "00:30-04:30", timezone: "Europe/London", tariff_type: "dual_rate" };

describe("runPlanChargingRequest", () => {
  it("plans overnight from a tariff with a ready-by wall time after midnight", async () => {
    const answer = await answerOf({
      now: "2026-01-10T18:10:00Z",
      tariff,
      sessions: [
        {
          id: "car",
          ready_by_local_time: "07:30",
          energy_required_kwh: 20,
          charger_power_kw: 7,
          charging_mode: "minimise_charging_time",
        },
      ],
    });
    const session = answer.sessions[0];
    expect(session?.window_start).toBe("2026-01-10T18:10:00.000Z");
    expect(session?.window_end).toBe("2026-01-11T07:30:00.000Z");
    expect(session?.slots[0]).toMatchObject({
      start_timestamp: "2026-01-10T18:10:00.000Z",
      end_timestamp: "2026-01-10T18:30:00.000Z",
      settlement_period: 37,
    });
    const charging = session?.slots.filter((slot) => slot.kwh > 0) ?? [];
    expect(charging.every((slot) => !slot.peak && slot.pence_per_kwh === 7.5)).toBe(true);
    expect(session?.energy_planned_kwh).toBe(20);
    expect(session?.cost_pence).toBe(150);
    expect(session?.baseline_cost_pence).toBe(490);
    expect(session?.saving_pence).toBe(340);
    expect(answer.method).toBe("greedy");
    expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
  });

  it("lays out the 46-slot night of 2026-03-29 and the 50-slot night of 2026-10-25", async () => {
    const spring = await answerOf({
      now: "2026-03-28T12:00:00Z",
      tariff: { off_peak_times: "00:00-07:00", timezone: "Europe/London" },
      sessions: [{ ready_by_local_time: "12:00", energy_required_kwh: 60, charger_power_kw: 7 }],
    });
    // 24 wall-clock hours from noon to noon are 23 real hours: 46 slots; off-peak 00:00-07:00 is 6 real hours.
    expect(spring.sessions[0]?.slots).toHaveLength(46);
    expect(spring.sessions[0]?.energy_planned_kwh).toBe(42);
    expect(spring.sessions[0]?.flagged).toBe(true);
    const autumn = await answerOf({
      now: "2026-10-24T11:00:00Z",
      tariff: { off_peak_times: "00:00-07:00", timezone: "Europe/London" },
      sessions: [{ ready_by_local_time: "12:00", energy_required_kwh: 10, charger_power_kw: 7 }],
    });
    expect(autumn.sessions[0]?.slots).toHaveLength(50);
    // maximise_charging_time (the default): every off-peak slot, 8 real hours of them.
    expect(autumn.sessions[0]?.energy_planned_kwh).toBe(56);
    expect(autumn.sessions[0]?.slots.map((slot) => slot.settlement_period).slice(22, 30)).toEqual([
      47, 48, 1, 2, 3, 4, 5, 6,
    ]);
  });

  it("plans from explicit slot prices, negative ones included, with market prices and turn-down events", async () => {
    const answer = await answerOf({
      now: "2026-01-10T22:00:00Z",
      slot_prices: [
        { start_timestamp: "2026-01-10T22:00:00Z", pence_per_kwh: 10 },
        { start_timestamp: "2026-01-10T22:30:00Z", pence_per_kwh: -5 },
        { start_timestamp: "2026-01-10T23:00:00Z", pence_per_kwh: 10 },
        { start_timestamp: "2026-01-10T23:30:00Z", pence_per_kwh: 10 },
      ],
      market_prices: [
        { start_timestamp: "2026-01-10T23:00:00Z", price_gbp_per_mwh: 90 },
        { start_timestamp: "2026-01-10T23:30:00Z", price_gbp_per_mwh: 20 },
      ],
      turn_down_events: [{ start_timestamp: "2026-01-10T22:00:00Z", end_timestamp: "2026-01-10T22:30:00Z" }],
      sessions: [
        {
          ready_by: "2026-01-11T00:00:00Z",
          energy_required_kwh: 7,
          charger_power_kw: 7,
          charging_mode: "minimise_charging_time",
        },
      ],
    });
    expect(answer.sessions[0]?.slots.map((slot) => slot.kwh)).toEqual([0, 3.5, 0, 3.5]);
    expect(answer.sessions[0]?.cost_pence).toBe(18); // -17.5 + 35 = 17.5, rounded half up
  });

  it("plans several sessions jointly under a site import limit", async () => {
    const answer = await answerOf({
      now: "2026-01-10T22:00:00Z",
      tariff,
      site_import_limit_kw: 10,
      sessions: [
        {
          id: "a",
          ready_by_local_time: "07:00",
          energy_required_kwh: 20,
          charger_power_kw: 7,
          charging_mode: "minimise_charging_time",
        },
        {
          id: "b",
          ready_by_local_time: "07:00",
          energy_required_kwh: 20,
          charger_power_kw: 7,
          charging_mode: "minimise_charging_time",
        },
      ],
    });
    expect(answer.method).toBe("lp");
    expect(answer.site_import_limit_kw).toBe(10);
    expect(answer.sessions.map((session) => session.energy_planned_kwh)).toEqual([20, 20]);
    expect(answer.cost_pence).toBe(300);
    const slotCount = answer.sessions[0]?.slots.length ?? 0;
    for (let i = 0; i < slotCount; i += 1) {
      expect(
        answer.sessions.reduce((sum, session) => sum + (session.slots[i]?.kw ?? 0), 0),
      ).toBeLessThanOrEqual(10.001);
    }
  });

  it("answers a validation error that names every problem", async () => {
    const issues = await issuesOf({
      now: "2026-01-10T22:00:00",
      tariff: { off_peak_times: "Mo-Fr 00:00-07:00", timezone: "Europe/Paris" },
      slot_prices: [{ start_timestamp: "2026-01-10T22:00:00Z", pence_per_kwh: 1 }],
      sessions: [
        {
          ready_by: "2026-01-11T07:00:00Z",
          ready_by_local_time: "07:00",
          energy_required_kwh: -1,
          charger_power_kw: 0,
        },
      ],
    });
    expect(issues.some((issue) => issue.startsWith("now:"))).toBe(true);
    expect(
      issues.some((issue) => issue.startsWith("tariff.off_peak_times:") && issue.includes("weekday")),
    ).toBe(true);
    expect(issues.some((issue) => issue.includes("exactly one of tariff and slot_prices"))).toBe(true);
    expect(issues.some((issue) => issue.startsWith("sessions.0.ready_by:"))).toBe(true);
    expect(issues.some((issue) => issue.startsWith("sessions.0.energy_required_kwh:"))).toBe(true);
    expect(issues.some((issue) => issue.startsWith("sessions.0.charger_power_kw:"))).toBe(true);
    expect(await issuesOf("not an object")).toHaveLength(1);
  });

  it("rejects windows that end before they start and slots without a price", async () => {
    expect(
      await issuesOf({
        now: "2026-01-10T22:00:00Z",
        tariff,
        sessions: [{ ready_by: "2026-01-10T21:00:00Z", energy_required_kwh: 1, charger_power_kw: 7 }],
      }),
    ).toEqual([expect.stringMatching(/^sessions\.0\.ready_by: must be after the window start/)]);
    expect(
      await issuesOf({
        now: "2026-01-10T22:00:00Z",
        slot_prices: [{ start_timestamp: "2026-01-10T22:00:00Z", pence_per_kwh: 1 }],
        sessions: [{ ready_by: "2026-01-10T23:00:00Z", energy_required_kwh: 1, charger_power_kw: 7 }],
      }),
    ).toEqual([
      expect.stringMatching(/^slot_prices: no price for the slot starting 2026-01-10T22:30:00.000Z/),
    ]);
  });

  it("starts the window at plug-in when that is later than now and honours charge-now", async () => {
    const answer = await answerOf({
      now: "2026-01-10T17:00:00Z",
      tariff,
      sessions: [
        {
          plug_in_at: "2026-01-10T18:00:00Z",
          ready_by_local_time: "07:00",
          energy_required_kwh: 10,
          charger_power_kw: 7,
          charging_mode: "minimise_charging_time",
          charge_now_until: "2026-01-10T19:00:00Z",
        },
      ],
    });
    const session = answer.sessions[0];
    expect(session?.window_start).toBe("2026-01-10T18:00:00.000Z");
    expect(session?.slots.slice(0, 2).map((slot) => slot.kw)).toEqual([7, 7]);
    expect(session?.energy_planned_kwh).toBe(10);
  });
});
