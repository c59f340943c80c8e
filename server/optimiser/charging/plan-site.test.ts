import fc from "fast-check";
import type { Highs } from "highs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadHighs } from "./highs-solver";
import { planChargingSession } from "./plan-session";
import { planSiteSessions, planSiteSessionsWithHighs, siteLimitCanBind } from "./plan-site";
import { planSiteSessionsReference } from "./plan-site.reference";
import { geometry, halfHourSlots, HALF_HOUR_MS, lexCompare, sessionArbitrary } from "./test-support";
import type { ChargingSessionInput, SitePlan } from "./types";

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

// Objective levels of a site plan, in priority order (see plan-site.ts), computed from its kWh.
function siteVector(sessions: readonly ChargingSessionInput[], plan: SitePlan): number[] {
  const vector = [0, 0, 0, 0, 0, 0];
  sessions.forEach((session, s) => {
    const geo = geometry(session);
    const slots = plan.plans[s]?.slots ?? [];
    let energy = 0;
    geo.forEach((g, i) => {
      const kwh = slots[i]?.kwh ?? 0;
      energy += kwh;
      if (session.chargingMode === "maximise_charging_time" && g.slot.peak !== true)
        vector[1] = (vector[1] ?? 0) - kwh;
      if (g.slot.peak === true) vector[2] = (vector[2] ?? 0) + kwh;
      vector[3] = (vector[3] ?? 0) + kwh * g.slot.pencePerKwh;
      if (g.slot.turnDownEvent === true) vector[4] = (vector[4] ?? 0) + kwh;
      vector[5] = (vector[5] ?? 0) + kwh * (g.slot.marketPriceGbpPerMwh ?? 0);
    });
    vector[0] = (vector[0] ?? 0) + Math.max(0, session.energyRequiredKwh - energy);
  });
  return vector;
}

const num = (value: number): string => value.toPrecision(17);

/**
 * Independent reference: the same joint model written as CPLEX LP text and
 * solved level by level, each level's optimum added as a constraint.
 * Sessions without charge-now only.
 */
function referenceVector(sessions: readonly ChargingSessionInput[], limit: number): number[] {
  const columns: {
    name: string;
    session: number;
    bucket: number;
    hours: number;
    free: number;
    levels: number[];
  }[] = [];
  sessions.forEach((session, s) => {
    geometry(session).forEach((g, i) => {
      if (g.free <= 0) return;
      const maximiseOffPeak = session.chargingMode === "maximise_charging_time" && g.slot.peak !== true;
      columns.push({
        name: `x_${s}_${i}`,
        session: s,
        bucket: Math.floor(g.slot.start.getTime() / HALF_HOUR_MS),
        hours: g.hours,
        free: g.free,
        levels: [
          0,
          maximiseOffPeak ? -1 : 0,
          g.slot.peak === true ? 1 : 0,
          g.slot.pencePerKwh,
          g.slot.turnDownEvent === true ? 1 : 0,
          g.slot.marketPriceGbpPerMwh ?? 0,
        ],
      });
    });
  });
  const shortfallNames = sessions.map((_, s) => `u_${s}`);
  const levelExpression = (level: number): string => {
    const terms = columns.map((c) => `+ ${num(c.levels[level] ?? 0)} ${c.name}`);
    // Every shortfall appears once (the LP reader keeps the last coefficient of a repeated name).
    terms.push(...shortfallNames.map((u) => `+ ${level === 0 ? 1 : 0} ${u}`));
    return terms.join(" ").replace(/\+ -/g, "- ");
  };
  const rows: string[] = [];
  sessions.forEach((session, s) => {
    const terms = columns.filter((c) => c.session === s).map((c) => `+ ${c.name}`);
    terms.push(`+ u_${s}`);
    rows.push(
      `e${s}: ${terms.join(" ")} ${session.chargingMode === "maximise_charging_time" ? ">=" : "="} ${num(session.energyRequiredKwh)}`,
    );
  });
  const buckets = [...new Set(columns.map((c) => c.bucket))];
  buckets.forEach((bucket, b) => {
    const terms = columns.filter((c) => c.bucket === bucket).map((c) => `+ ${num(1 / c.hours)} ${c.name}`);
    rows.push(`b${b}: ${terms.join(" ")} <= ${num(limit)}`);
  });
  const bounds = columns
    .map((c) => `0 <= ${c.name} <= ${num(c.free)}`)
    .concat(shortfallNames.map((u) => `${u} >= 0`));
  const optima: number[] = [];
  for (let level = 0; level < 6; level += 1) {
    const fixed = optima.map(
      (opt, l) => `lvl${l}: ${levelExpression(l)} <= ${num(opt + 1e-6 * (1 + Math.abs(opt)))}`,
    );
    const text = [
      "Minimize",
      ` obj: ${levelExpression(level)}`,
      "Subject To",
      ...rows.map((r) => ` ${r}`),
      ...fixed.map((r) => ` ${r}`),
      "Bounds",
      ...bounds.map((b) => ` ${b}`),
      "End",
    ].join("\n");
    const result = highs.solve(text, { output_flag: false });
    if (result.Status !== "Optimal") throw new Error(`reference LP: ${result.Status}\n${text}`);
    optima.push(result.ObjectiveValue);
  }
  return optima;
}

const siteArbitrary = fc
  .record({
    sessions: fc.array(sessionArbitrary(5, { chargeNow: false }), { minLength: 2, maxLength: 3 }),
    limitShare: fc.double({ min: 0.1, max: 0.95, noNaN: true }),
  })
  .map(({ sessions, limitShare }) => {
    // One site, one tariff: every session sees the first session's slots.
    const slots = sessions[0]?.slots ?? [];
    const shared = sessions.map((session) => ({ ...session, slots }));
    const totalKw = shared.reduce((sum, session) => sum + session.chargerMaxKw, 0);
    return { sessions: shared, limit: Math.round(totalKw * limitShare * 10) / 10 + 0.1 };
  });

// Sites whose limit binds, with everything the LP models: partial edge slots,
// charge-now, maximise sessions, peak and turn-down slots, ties in price.
const bindingSiteArbitrary = fc
  .record({
    sessions: fc.array(sessionArbitrary(8), { minLength: 2, maxLength: 6 }),
    limitShare: fc.double({ min: 0.05, max: 0.9, noNaN: true }),
  })
  .map(({ sessions, limitShare }) => {
    const slots = sessions[0]?.slots ?? [];
    const shared = sessions.map((session) => ({ ...session, slots }));
    const totalKw = shared.reduce((sum, session) => sum + session.chargerMaxKw, 0);
    return { sessions: shared, limit: Math.round(totalKw * limitShare * 10) / 10 + 0.1 };
  });

describe("planSiteSessions", () => {
  it("plans independently with the exact greedy when the limit cannot bind", async () => {
    const slots = halfHourSlots("2026-01-10T22:00:00Z", [30, 10, 5, 20]);
    const session: ChargingSessionInput = {
      windowStart: new Date("2026-01-10T22:00:00Z"),
      windowEnd: new Date("2026-01-11T00:00:00Z"),
      energyRequiredKwh: 5,
      chargerMaxKw: 7,
      slots,
      mayChargePeak: false,
      chargingMode: "minimise_charging_time",
    };
    const plan = await planSiteSessions({
      sessions: [session, { ...session, id: "b" }],
      siteImportLimitKw: 14,
    });
    expect(plan.method).toBe("greedy");
    expect(plan.plans[0]).toEqual(planChargingSession(session));
    expect(plan.costPence).toBe(2 * planChargingSession(session).costPence);
    expect(siteLimitCanBind({ sessions: [session], siteImportLimitKw: 7 })).toBe(false);
    expect(siteLimitCanBind({ sessions: [session], siteImportLimitKw: 6.9 })).toBe(true);
  });

  it("shares the cheap slots under the limit and keeps each slot's total power within it", async () => {
    const slots = halfHourSlots("2026-01-10T22:00:00Z", [30, 20, 10, 10, 5, 5, 20, 30], (i) => ({
      marketPriceGbpPerMwh: i * 10,
    }));
    const base: ChargingSessionInput = {
      windowStart: new Date("2026-01-10T22:00:00Z"),
      windowEnd: new Date("2026-01-11T02:00:00Z"),
      energyRequiredKwh: 7,
      chargerMaxKw: 7,
      slots,
      mayChargePeak: false,
      chargingMode: "minimise_charging_time",
    };
    const plan = await planSiteSessions({
      sessions: [
        { ...base, id: "a" },
        { ...base, id: "b" },
      ],
      siteImportLimitKw: 10,
    });
    expect(plan.method).toBe("lp");
    // 10 kWh at 5p, then 4 kWh at 10p in the slot with the lower market price (slot 3).
    // The split between the two identical sessions is a tie, and each plan's
    // pence are rounded on their own, so the exact total is checked unrounded.
    const pence = plan.plans.reduce(
      (sum, p) => sum + p.slots.reduce((inner, slot) => inner + slot.kwh * slot.pencePerKwh, 0),
      0,
    );
    expect(pence).toBeCloseTo(90, 6);
    expect(Math.abs(plan.costPence - 90)).toBeLessThanOrEqual(1);
    for (let i = 0; i < slots.length; i += 1) {
      const kw = plan.plans.reduce((sum, p) => sum + (p.slots[i]?.kw ?? 0), 0);
      expect(kw).toBeLessThanOrEqual(10 + 1e-6);
    }
    expect(plan.plans.reduce((sum, p) => sum + (p.slots[2]?.kwh ?? 0), 0)).toBeCloseTo(4);
    expect(plan.plans.every((p) => p.met)).toBe(true);
  });

  it("flags sessions the limit leaves short and gives charge-now its share first", async () => {
    const slots = halfHourSlots("2026-01-10T18:00:00Z", [40, 40, 5, 5]);
    const base: ChargingSessionInput = {
      windowStart: new Date("2026-01-10T18:00:00Z"),
      windowEnd: new Date("2026-01-10T20:00:00Z"),
      energyRequiredKwh: 7,
      chargerMaxKw: 7,
      slots,
      mayChargePeak: true,
      chargingMode: "minimise_charging_time",
    };
    const plan = await planSiteSessions({
      sessions: [
        { ...base, id: "now", chargeNowUntil: new Date("2026-01-10T19:00:00Z") },
        { ...base, id: "smart", energyRequiredKwh: 9, chargerMaxKw: 11 },
      ],
      siteImportLimitKw: 8,
    });
    const [now, smart] = plan.plans;
    expect(now?.slots.map((slot) => slot.kw)).toEqual([7, 7, 0, 0]);
    expect(smart?.slots.map((slot) => Math.round(slot.kw * 1000) / 1000)).toEqual([1, 1, 8, 8]);
    expect(smart?.met).toBe(true);
    const short = await planSiteSessions({
      sessions: [base, { ...base, energyRequiredKwh: 20 }],
      siteImportLimitKw: 8,
    });
    expect(short.plans.some((p) => !p.met)).toBe(true);
    expect(short.plans.reduce((sum, p) => sum + p.energyKwh, 0)).toBeCloseTo(16);
  });

  it("matches the single-session greedy when one session is held back by the limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        sessionArbitrary(6, { chargeNow: false }),
        fc.double({ min: 0.5, max: 10, noNaN: true }),
        async (session, limit) => {
          fc.pre(limit < session.chargerMaxKw);
          const joint = await planSiteSessions({ sessions: [session], siteImportLimitKw: limit });
          const alone = planChargingSession({ ...session, chargerMaxKw: limit });
          expect(joint.plans[0]?.energyKwh).toBeCloseTo(alone.energyKwh, 5);
          expect(joint.plans[0]?.costPence).toBe(alone.costPence);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it("is optimal level by level against an independent LP on random sites (property)", async () => {
    await fc.assert(
      fc.asyncProperty(siteArbitrary, async ({ sessions, limit }) => {
        const plan = await planSiteSessions({ sessions, siteImportLimitKw: limit });
        // Feasible: within each charger, and the site limit in every half hour.
        const power = new Map<number, number>();
        sessions.forEach((session, s) => {
          geometry(session).forEach((g, i) => {
            const slot = plan.plans[s]?.slots[i];
            expect(slot?.kwh ?? 0).toBeLessThanOrEqual(g.free + g.forced + 1e-6);
            const bucket = Math.floor(g.slot.start.getTime() / HALF_HOUR_MS);
            power.set(bucket, (power.get(bucket) ?? 0) + (slot?.kw ?? 0));
          });
        });
        for (const kw of power.values()) expect(kw).toBeLessThanOrEqual(limit + 1e-5);
        const reference = referenceVector(sessions, limit);
        // The reference's own level constraints carry HiGHS's 1e-7 feasibility slack, which
        // lower levels can exploit a little (market level x 80 GBP/MWh): compare within small tolerances.
        expect(lexCompare(siteVector(sessions, plan), reference, 1e-2, 1e-4)).toBe(0);
      }),
      { numRuns: 400, seed: 2026 },
    );
  });

  it("finds the same objective vector as the previous level-by-level solve on binding sites (property)", async () => {
    await fc.assert(
      fc.asyncProperty(bindingSiteArbitrary, async ({ sessions, limit }) => {
        fc.pre(siteLimitCanBind({ sessions, siteImportLimitKw: limit }));
        const input = { sessions, siteImportLimitKw: limit };
        const fast = planSiteSessionsWithHighs(highs, input);
        const previous = planSiteSessionsReference(highs, input);
        expect(fast.method).toBe("lp");
        expect(lexCompare(siteVector(sessions, fast), siteVector(sessions, previous), 1e-4, 1e-7)).toBe(0);
        // Within the limit in every half hour.
        const power = new Map<number, number>();
        sessions.forEach((session, s) => {
          geometry(session).forEach((g, i) => {
            const bucket = Math.floor(g.slot.start.getTime() / HALF_HOUR_MS);
            power.set(bucket, (power.get(bucket) ?? 0) + (fast.plans[s]?.slots[i]?.kw ?? 0));
          });
        });
        const forcedKw = (bucket: number): number =>
          sessions.reduce((sum, session) => {
            const g = geometry(session).find(
              (x) => Math.floor(x.slot.start.getTime() / HALF_HOUR_MS) === bucket,
            );
            return sum + (g !== undefined && g.forced > 0 ? session.chargerMaxKw : 0);
          }, 0);
        for (const [bucket, kw] of power)
          expect(kw).toBeLessThanOrEqual(Math.max(limit, forcedKw(bucket)) + 1e-5);
      }),
      { numRuns: 400, seed: 4711 },
    );
  });
});
