// Under-delivery during a running event, seen the same way by the event page and the home page.
// The event is dispatched for real against the simulator (both batteries switch, "Confirmed 2 / 2");
// the telemetry that follows is written to battery_readings as the poller stores it, at instants
// relative to the window, and each view is asked at an injected `now`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { batteryReadings } from "@/db/schema";
import type { OemGateway } from "@/server/oem";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { simulatorGateway } from "../batteries/test-support";
import { getFleetOverview } from "../overview/fleet-overview";
import { commitDispatchPlan, createGridEvent, getGridEvent, getGridEventLive, runGridEventSweep, type ExecutionDeps } from "./index";
import { at, createEventBattery, driveEventActions, eventActionDeps, futureWindow } from "./test-support";

const MIN = 60_000;

let sim: SimulatorHandle;
let gateway: OemGateway;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, modeChangeDelayMs: 100, seed: 1616 });
  gateway = simulatorGateway(sim);
});
afterAll(async () => {
  await sim.stop();
});

/** Battery telemetry as a poll stores it: `kw` negative while discharging. */
async function recordTelemetry(org: TestOrg, assetId: string, from: Date, minutes: number, kw: number): Promise<void> {
  const rows = [];
  for (let m = 0; m < minutes; m += 1) {
    const observedAt = at(from, m * MIN);
    rows.push({ organisationId: org.orgId, assetId, observedAt, socPct: 60, batteryPowerKw: kw, gridPowerKw: kw + 0.4, solarPowerKw: 0, loadPowerKw: 0.4, operationMode: "EXPORT_FOCUS", oemMode: "export", dischargeFloorPct: 10, receivedAt: at(observedAt, 5_000) });
  }
  await getDb().insert(batteryReadings).values(rows);
}

describe("an event whose response falls away before its end", () => {
  let org: TestOrg;
  let eventId: string;
  let window: { startAt: Date; endAt: Date };

  beforeAll(async () => {
    org = await createTestOrg("under-delivery");
    const batteries = [await createEventBattery(org.admin, sim, gateway), await createEventBattery(org.admin, sim, gateway)];
    window = futureWindow(1, 60);
    const event = await createGridEvent(org.admin, { name: "Teatime turn-down", direction: "turn_down", targetKw: 10, priceGbpPerMwh: 250, ...window, propositions: ["full_asset_control"] });
    eventId = event.id;
    await commitDispatchPlan(org.admin, event.id, { headroomPct: 0 });
    const deps = (now: Date): ExecutionDeps => ({ now, actionDeps: eventActionDeps(gateway), settle: async () => {}, settleDelayMs: 0, organisationIds: [org.orgId] });
    const dispatchAt = at(window.startAt, -4 * MIN);
    await runGridEventSweep(deps(dispatchAt));
    const dispatched = await getGridEvent(org.admin, event.id);
    await driveEventActions(org.admin, gateway, dispatched.participants.map((p) => p.dispatchActionId).filter((id): id is string => id !== null), dispatchAt);
    await runGridEventSweep(deps(at(window.startAt, MIN)));

    // 5 kW from each battery for the first 20 minutes, then nothing (still reporting) until minute 35,
    // then silence.
    for (const b of batteries) {
      await recordTelemetry(org, b.assetId, window.startAt, 20, -5);
      await recordTelemetry(org, b.assetId, at(window.startAt, 20 * MIN), 15, 0);
    }
  });

  it("delivers the target while both batteries discharge, with no warning anywhere", async () => {
    const now = at(window.startAt, 15 * MIN);
    const live = await getGridEventLive(org.admin, eventId, now);
    expect(live.event.status).toBe("active");
    expect(live.statusCounts.confirmed).toBe(2);
    expect(live.latestKw).toBe(10);
    expect(live.delivery).toMatchObject({ phase: "running", thresholdKw: 8, underDelivering: false });
    const overview = await getFleetOverview(org.admin, now);
    expect(overview.gridEvent).toMatchObject({ id: eventId, responseKw: 10, thresholdKw: 8, underDelivering: false });
    expect(overview.attention.items.filter((i) => i.kind === "under_delivery")).toEqual([]);
  });

  it("warns on the event page and heads the home page's needs-attention list once the response falls to 0 kW, while both stay confirmed", async () => {
    const now = at(window.startAt, 30 * MIN);
    const live = await getGridEventLive(org.admin, eventId, now);
    expect(live.statusCounts.confirmed).toBe(2);
    expect(live.latestKw).toBe(0);
    expect(live.delivery).toMatchObject({ underDelivering: true, shortfallKw: 10 });
    const overview = await getFleetOverview(org.admin, now);
    expect(overview.gridEvent).toMatchObject({ responseKw: 0, underDelivering: true });
    expect(overview.attention.items[0]).toMatchObject({ kind: "under_delivery", title: "Teatime turn-down is under-delivering", detail: "0.0 kW of the 10.0 kW target", href: `/grid-events/${eventId}` });
  });

  it("counts batteries that stop reporting as no response", async () => {
    const now = at(window.startAt, 45 * MIN);
    const live = await getGridEventLive(org.admin, eventId, now);
    expect(live.latestKw).toBeNull();
    expect(live.delivery.underDelivering).toBe(true);
    const overview = await getFleetOverview(org.admin, now);
    expect(overview.attention.items[0]).toMatchObject({ kind: "under_delivery", detail: expect.stringMatching(/^No participating battery has reported for 5 minutes/) });
  });

  it("charts the whole window with the response so far and nothing after now", async () => {
    const now = at(window.startAt, 30 * MIN);
    const live = await getGridEventLive(org.admin, eventId, now);
    const first = live.points[0];
    const last = live.points[live.points.length - 1];
    expect(new Date(first?.time ?? 0).getTime()).toBe(at(window.startAt, -30 * MIN).getTime());
    // The chart runs to half an hour after the end although now is mid-event.
    expect(new Date(last?.time ?? 0).getTime()).toBeGreaterThan(window.endAt.getTime());
    const byTime = new Map(live.points.map((p) => [new Date(p.time).getTime(), p]));
    expect(byTime.get(at(window.startAt, 10 * MIN).getTime())).toMatchObject({ targetKw: 10, actualKw: 10 });
    expect(byTime.get(at(window.startAt, 25 * MIN).getTime())).toMatchObject({ targetKw: 10, actualKw: 0 });
    expect(byTime.get(at(window.startAt, 40 * MIN).getTime())).toMatchObject({ targetKw: 10, actualKw: null });
    expect(byTime.get(at(window.endAt, 10 * MIN).getTime())).toMatchObject({ targetKw: 0, actualKw: null });
    expect(live.now).toEqual(now);
  });

  it("does not warn once the window has ended", async () => {
    const now = at(window.endAt, MIN);
    expect((await getGridEventLive(org.admin, eventId, now)).delivery).toMatchObject({ phase: "ended", underDelivering: false });
    const overview = await getFleetOverview(org.admin, now);
    expect(overview.attention.items.filter((i) => i.kind === "under_delivery")).toEqual([]);
  });
});
