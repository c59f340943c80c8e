import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { batteryActions, outboundEmails, webhookDeliveries } from "@/db/schema";
import { verifyDispatchEvent } from "@/server/domain/signatures";
import type { OemGateway } from "@/server/oem";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg } from "@/test/fixtures";
import { getBattery } from "../batteries/batteries";
import { simulatorGateway } from "../batteries/test-support";
import type { ServiceContext } from "../context";
import { listOutboundEmails } from "../mail/mail";
import { storePriceCurve } from "../market-prices/market-prices";
import { settleGridEvent } from "../rewards/settlement";
import { addWebhookEndpoint } from "../webhooks/partner-webhooks";
import {
  cancelGridEvent,
  commitDispatchPlan,
  createGridEvent,
  getGridEvent,
  getGridEventLive,
  listGridEvents,
  previewDispatchPlan,
  recordPartnerCallback,
  runGridEventSweep,
  updateGridEvent,
  type ExecutionDeps,
} from "./index";
import { at, createEventBattery, createEventCharger, createPartnerBattery, driveEventActions, eventActionDeps, futureWindow } from "./test-support";

let sim: SimulatorHandle;
let gateway: OemGateway;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, modeChangeDelayMs: 100, seed: 707 });
  gateway = simulatorGateway(sim);
});
afterAll(async () => {
  await sim.stop();
});

const MIN = 60_000;
const baseEvent = { name: "Evening peak", direction: "turn_down" as const, targetKw: 5, priceGbpPerMwh: 250, propositions: ["full_asset_control" as const] };

const actionDeps = () => eventActionDeps(gateway);
const driveActions = (ctx: ServiceContext, actionIds: readonly string[], now: Date, rounds?: number) => driveEventActions(ctx, gateway, actionIds, now, rounds);

describe("grid event rules", () => {
  it("accepts a half-hour aligned future window and refuses others, naming the field", async () => {
    const org = await createTestOrg("ge-rules");
    const window = futureWindow(2, 60);
    const event = await createGridEvent(org.admin, { ...baseEvent, ...window, region: " sw " });
    expect(event).toMatchObject({ status: "draft", region: "SW", direction: "turn_down", targetKw: 5 });
    await expect(createGridEvent(org.admin, { ...baseEvent, startAt: at(window.startAt, 10 * MIN), endAt: window.endAt })).rejects.toMatchObject({
      code: "VALIDATION",
      issues: [{ path: ["startAt"] }],
    });
    const past = futureWindow(-3, 30);
    await expect(createGridEvent(org.admin, { ...baseEvent, ...past })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["startAt"], message: "Must be in the future." }] });
    await expect(createGridEvent(org.admin, { ...baseEvent, startAt: window.endAt, endAt: window.startAt })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(createGridEvent(org.admin, { ...baseEvent, ...window, targetKw: -1 })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["targetKw"] }] });
    await expect(createGridEvent(org.admin, { ...baseEvent, ...window, propositions: [] })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["propositions"] }] });
    await expect(createGridEvent(org.admin, { ...baseEvent, ...window, region: "S W 1 A 1" })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["region"] }] });
    const viewer = await org.addOperator("viewer");
    await expect(createGridEvent(viewer.ctx, { ...baseEvent, ...window })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("can be edited and cancelled until it starts, and not after", async () => {
    const org = await createTestOrg("ge-edit");
    const window = futureWindow(2, 30);
    const event = await createGridEvent(org.admin, { ...baseEvent, ...window });
    const edited = await updateGridEvent(org.admin, event.id, { targetKw: 12, endAt: at(window.endAt, 30 * MIN) });
    expect(edited).toMatchObject({ targetKw: 12, status: "draft" });
    expect(edited.endAt.getTime() - edited.startAt.getTime()).toBe(60 * MIN);
    await expect(updateGridEvent(org.admin, event.id, { endAt: at(window.endAt, 5 * MIN) })).rejects.toMatchObject({ code: "VALIDATION", issues: [{ path: ["endAt"] }] });
    await expect(updateGridEvent(org.admin, event.id, { name: "late" }, at(window.startAt, MIN))).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(cancelGridEvent(org.admin, event.id, {}, at(window.startAt, MIN))).rejects.toMatchObject({ code: "CONFLICT" });
    const cancelled = await cancelGridEvent(org.admin, event.id, { reason: "market closed" });
    expect(cancelled.status).toBe("cancelled");
    await expect(updateGridEvent(org.admin, event.id, { name: "again" })).rejects.toMatchObject({ code: "CONFLICT" });
    const { items, total } = await listGridEvents(org.admin, { status: ["cancelled"] });
    expect(total).toBe(1);
    expect(items[0]?.id).toBe(event.id);
  });

  it("discards a committed plan when a scheduled event is edited", async () => {
    const org = await createTestOrg("ge-replan");
    await createEventBattery(org.admin, sim, gateway);
    const event = await createGridEvent(org.admin, { ...baseEvent, ...futureWindow(2, 30), targetKw: 2 });
    await commitDispatchPlan(org.admin, event.id);
    expect((await getGridEvent(org.admin, event.id)).participants).toHaveLength(1);
    const edited = await updateGridEvent(org.admin, event.id, { targetKw: 3 });
    expect(edited.status).toBe("draft");
    expect((await getGridEvent(org.admin, event.id)).participants).toHaveLength(0);
  });
});

describe("dispatch plan", () => {
  it("takes only consenting, enrolled, online batteries in the region with energy above their floor", async () => {
    const org = await createTestOrg("ge-plan");
    const ok = await createEventBattery(org.admin, sim, gateway, { socPct: 80 });
    const noConsent = await createEventBattery(org.admin, sim, gateway, { consents: [] });
    const otherProposition = await createEventBattery(org.admin, sim, gateway, { consents: ["vpp_limited_control"] });
    const notEnrolled = await createEventBattery(org.admin, sim, gateway, { enrolled: [] });
    const atFloor = await createEventBattery(org.admin, sim, gateway, { socPct: 12, dischargeFloorPct: 12 });
    const offline = await createEventBattery(org.admin, sim, gateway, { poll: false });
    const elsewhere = await createEventBattery(org.admin, sim, gateway, { postcode: "M1 1AE" });
    const event = await createGridEvent(org.admin, { ...baseEvent, ...futureWindow(2, 60), targetKw: 50, region: "SW" });
    const plan = await previewDispatchPlan(org.admin, event.id);
    expect(plan.participants.map((p) => p.assetId)).toEqual([ok.assetId]);
    const [participant] = plan.participants;
    expect(participant).toMatchObject({ control: "oem_action", proposition: "full_asset_control", previousMode: expect.any(String) });
    // 10 kWh at 80 % above a 10 % floor is 7 kWh over one hour, capped by the 5 kW inverter.
    expect(participant?.plannedKw).toBe(5);
    expect(participant?.setpointKw).toBe(-5);
    const reasons = Object.fromEntries(plan.excluded.map((e) => [e.assetId, e.reason]));
    expect(reasons).toEqual({
      [noConsent.assetId]: "no_consent",
      [otherProposition.assetId]: "no_consent",
      [notEnrolled.assetId]: "not_enrolled",
      [atFloor.assetId]: "insufficient_energy",
      [offline.assetId]: "offline",
    });
    expect(reasons[elsewhere.assetId]).toBeUndefined();
    expect(plan).toMatchObject({ reachesTarget: false, plannedKw: 5, goalKw: 60 });

    const vppEvent = await createGridEvent(org.admin, { ...baseEvent, ...futureWindow(2, 60), propositions: ["vpp_limited_control"] });
    const vppPlan = await previewDispatchPlan(org.admin, vppEvent.id);
    expect(vppPlan.participants.map((p) => p.assetId)).toEqual([otherProposition.assetId]);
  });

  it("offers a plugged-in charger's planned power in a turn-down window only where its ready-by does not need it", async () => {
    const org = await createTestOrg("ge-chargers");
    const window = futureWindow(2, 60);
    // The market values the event's hour most, so plans made before the event charge in it.
    const firstSlot = Math.floor(Date.now() / (30 * MIN)) * 30 * MIN;
    const points = Array.from({ length: 48 }, (_, i) => {
      const start = firstSlot + i * 30 * MIN;
      const inWindow = start >= window.startAt.getTime() && start < window.endAt.getTime();
      return { start: new Date(start).toISOString(), priceGbpPerMwh: inWindow ? 10 : 100 };
    });
    await storePriceCurve(org.admin, { market: "WHOLESALE", points });
    const localTime = (instant: number) =>
      new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
    // 7 kWh due six hours after the event: one hour at 7 kW, movable at no cost to the householder.
    const flexible = await createEventCharger(org.admin, { energyRequiredKwh: 7, readyByLocalTime: localTime(window.endAt.getTime() + 6 * 60 * MIN) });
    // More than full power until the event's end delivers: every minute up to then is needed.
    const needed = await createEventCharger(org.admin, { energyRequiredKwh: 40, readyByLocalTime: localTime(window.endAt.getTime()) });

    const event = await createGridEvent(org.admin, { ...baseEvent, ...window, targetKw: 50, propositions: ["full_asset_schedule_control"] });
    const plan = await previewDispatchPlan(org.admin, event.id);
    expect(plan.participants.map((p) => [p.assetId, p.control, p.plannedKw])).toEqual([[flexible.assetId, "charging_replan", 7]]);
    expect(plan.excluded).toEqual([expect.objectContaining({ assetId: needed.assetId, reason: "no_flexibility" })]);
  });

  it("plans with headroom pro rata and refuses to commit twice or with nobody eligible", async () => {
    const org = await createTestOrg("ge-commit");
    await createEventBattery(org.admin, sim, gateway);
    await createEventBattery(org.admin, sim, gateway);
    const event = await createGridEvent(org.admin, { ...baseEvent, ...futureWindow(2, 30), targetKw: 5 });
    const committed = await commitDispatchPlan(org.admin, event.id);
    expect(committed.event.status).toBe("scheduled");
    expect(committed.plannedKw).toBe(6);
    expect(committed.participants.map((p) => p.plannedKw)).toEqual([3, 3]);
    await expect(commitDispatchPlan(org.admin, event.id)).rejects.toMatchObject({ code: "CONFLICT" });
    const empty = await createGridEvent(org.admin, { ...baseEvent, ...futureWindow(2, 30), region: "ZE" });
    await expect(commitDispatchPlan(org.admin, empty.id)).rejects.toMatchObject({ code: "PRECONDITION" });
  });
});

describe("event execution against the simulator", () => {
  it("dispatches, tracks, restores every battery, settles once; a battery that ignores the command fails and the rest still reach the target", async () => {
    const org = await createTestOrg("ge-full");
    const batteries = [
      await createEventBattery(org.admin, sim, gateway, { email: "one@household.test" }),
      await createEventBattery(org.admin, sim, gateway, { email: "two@household.test" }),
      // Grid Event Mode only: commanded under its own consent, not full control.
      await createEventBattery(org.admin, sim, gateway, { consents: ["vpp_limited_control"] }),
    ];
    const [ignoring] = batteries;
    if (!ignoring) throw new Error("no battery");
    const window = futureWindow(1, 30);
    // 3 × 5 kW available; a target of 9 kW with 50 % headroom asks 4.5 kW of each, so two reach 9 kW.
    const event = await createGridEvent(org.admin, { ...baseEvent, ...window, targetKw: 9, propositions: ["full_asset_control", "vpp_limited_control"] });
    const plan = await commitDispatchPlan(org.admin, event.id, { headroomPct: 50 });
    expect(plan.participants.map((p) => p.plannedKw)).toEqual([4.5, 4.5, 4.5]);
    const previousModes = new Map(plan.participants.map((p) => [p.assetId, p.previousMode]));

    const settled: string[] = [];
    // The real settlement, counted: it credits rewards from readings and marks the event settled.
    const settle: ExecutionDeps["settle"] = async (ctx, id) => {
      settled.push(id);
      return settleGridEvent(ctx, id);
    };
    const deps = (now: Date): ExecutionDeps => ({ now, actionDeps: actionDeps(), settle, settleDelayMs: 0, organisationIds: [org.orgId] });

    // Nothing happens well before the start.
    expect((await runGridEventSweep(deps(at(window.startAt, -30 * MIN)))).dispatched).toBe(0);

    sim.setFaults({ ignoreCommands: true }, ignoring.device.deviceId);
    const dispatchAt = at(window.startAt, -4 * MIN);
    const first = await runGridEventSweep(deps(dispatchAt));
    expect(first.dispatched).toBeGreaterThanOrEqual(3);
    let state = await getGridEvent(org.admin, event.id);
    expect(state.event.status).toBe("dispatching");
    const dispatchIds = state.participants.map((p) => p.dispatchActionId).filter((id): id is string => id !== null);
    expect(dispatchIds).toHaveLength(3);
    await driveActions(org.admin, dispatchIds, dispatchAt);
    // The ignoring battery's Action runs out of time.
    await driveActions(org.admin, dispatchIds, at(dispatchAt, 61_000), 2);

    await runGridEventSweep(deps(at(window.startAt, MIN)));
    state = await getGridEvent(org.admin, event.id);
    expect(state.event.status).toBe("active");
    const byAsset = new Map(state.participants.map((p) => [p.assetId, p]));
    expect(byAsset.get(ignoring.assetId)).toMatchObject({ status: "failed", failureReason: expect.stringContaining("DEADLINE_EXCEEDED") });
    const confirmed = state.participants.filter((p) => p.status === "confirmed");
    expect(confirmed).toHaveLength(2);
    expect(confirmed.reduce((sum, p) => sum + p.plannedKw, 0)).toBeGreaterThanOrEqual(event.targetKw);
    for (const b of batteries.slice(1)) expect((await getBattery(org.admin, b.assetId)).operationMode).toBe("EXPORT_FOCUS");

    const live = await getGridEventLive(org.admin, event.id, at(window.startAt, 2 * MIN));
    expect(live.failures).toEqual([expect.objectContaining({ assetId: ignoring.assetId, status: "failed" })]);
    expect(live.points.length).toBeGreaterThan(0);
    expect(live.points.some((p) => p.targetKw === 9)).toBe(true);

    // After the end: restore Actions back to each battery's previous mode.
    const afterEnd = at(window.endAt, MIN);
    const restoring = await runGridEventSweep(deps(afterEnd));
    expect(restoring.restoresRequested).toBe(2);
    state = await getGridEvent(org.admin, event.id);
    expect(state.event.status).toBe("restoring");
    const restoreIds = state.participants.map((p) => p.restoreActionId).filter((id): id is string => id !== null);
    expect(restoreIds).toHaveLength(2);
    await driveActions(org.admin, restoreIds, afterEnd);

    await runGridEventSweep(deps(at(window.endAt, 2 * MIN)));
    state = await getGridEvent(org.admin, event.id);
    expect(state.event.status).toBe("settled");
    expect(state.participants.map((p) => p.status).sort()).toEqual(["failed", "restored", "restored"]);
    for (const b of batteries.slice(1)) expect((await getBattery(org.admin, b.assetId)).operationMode).toBe(previousModes.get(b.assetId));
    expect(settled).toEqual([event.id]);
    await runGridEventSweep(deps(at(window.endAt, 3 * MIN)));
    expect(settled).toEqual([event.id]);

    // Householders with an email got one notice each, captured locally.
    const mail = await listOutboundEmails(org.admin, { purpose: "grid_event.notice" });
    expect(mail.items.map((m) => m.toAddress).sort()).toEqual(["one@household.test", "two@household.test"]);
    expect(mail.items.every((m) => m.status === "captured" && m.transport === "captured" && m.relatedId === event.id)).toBe(true);
    expect(mail.items[0]?.textBody).toContain("grid event");
    sim.resetFaults();
  });

  it("retries a failed restore and flags it restore_failed rather than leaving the battery in event mode silently", async () => {
    const org = await createTestOrg("ge-restore");
    const battery = await createEventBattery(org.admin, sim, gateway);
    const window = futureWindow(1, 30);
    const event = await createGridEvent(org.admin, { ...baseEvent, ...window, targetKw: 2 });
    await commitDispatchPlan(org.admin, event.id);
    const settled: string[] = [];
    const deps = (now: Date): ExecutionDeps => ({ now, actionDeps: actionDeps(), settle: async (_ctx, id) => settled.push(id), restoreRetryWindowMs: 10 * MIN, settleDelayMs: 0, organisationIds: [org.orgId] });
    await runGridEventSweep(deps(at(window.startAt, -4 * MIN)));
    let [participant] = (await getGridEvent(org.admin, event.id)).participants;
    await driveActions(org.admin, [participant?.dispatchActionId ?? ""], at(window.startAt, -4 * MIN));
    await runGridEventSweep(deps(at(window.startAt, MIN)));
    expect((await getGridEvent(org.admin, event.id)).participants[0]?.status).toBe("confirmed");

    sim.setFaults({ ignoreCommands: true }, battery.device.deviceId);
    await runGridEventSweep(deps(at(window.endAt, MIN)));
    [participant] = (await getGridEvent(org.admin, event.id)).participants;
    const firstRestore = participant?.restoreActionId ?? "";
    await driveActions(org.admin, [firstRestore], at(window.endAt, MIN + 61_000), 2);
    await runGridEventSweep(deps(at(window.endAt, 2 * MIN)));
    [participant] = (await getGridEvent(org.admin, event.id)).participants;
    expect(participant?.restoreActionId).not.toBe(firstRestore);
    expect((await getGridEvent(org.admin, event.id)).event.status).toBe("restoring");

    await driveActions(org.admin, [participant?.restoreActionId ?? ""], at(window.endAt, 2 * MIN + 61_000), 2);
    await runGridEventSweep(deps(at(window.endAt, 11 * MIN)));
    const final = await getGridEvent(org.admin, event.id);
    expect(final.participants[0]).toMatchObject({ status: "restore_failed", failureReason: expect.stringContaining("may still be in EXPORT_FOCUS") });
    expect(final.event.status).toBe("settled");
    const actions = await getDb().select().from(batteryActions).where(eq(batteryActions.assetId, battery.assetId));
    // One dispatch and two restore attempts.
    expect(actions).toHaveLength(3);
    sim.resetFaults();
  });

  it("sends partner-controlled batteries a signed dispatch webhook and records their callbacks", async () => {
    const org = await createTestOrg("ge-partner");
    const partner = await createPartnerBattery(org.admin, { powerKw: 4 });
    await addWebhookEndpoint(org.admin, { url: "https://partner.example/dispatch", secret: "dispatch-secret", eventTypes: ["grid_event.dispatch"] });
    const window = futureWindow(1, 60);
    const event = await createGridEvent(org.admin, { ...baseEvent, ...window, targetKw: 3 });
    const plan = await commitDispatchPlan(org.admin, event.id);
    expect(plan.participants).toEqual([expect.objectContaining({ assetId: partner.assetId, control: "partner_webhook", plannedKw: 3.6 })]);

    const received: { headers: Headers; body: Record<string, unknown> }[] = [];
    let failNext = true;
    const fetchImpl: typeof fetch = async (_url, init) => {
      if (failNext) {
        failNext = false;
        return new Response("busy", { status: 503 });
      }
      received.push({ headers: new Headers(init?.headers), body: JSON.parse(String(init?.body)) as Record<string, unknown> });
      return new Response(null, { status: 204 });
    };
    const deps = (now: Date): ExecutionDeps => ({ now, fetchImpl, appUrl: "https://flex.example", settle: async () => undefined, organisationIds: [org.orgId] });
    await runGridEventSweep(deps(at(window.startAt, -4 * MIN)));
    expect(received).toHaveLength(0);
    // Retried with backoff.
    await runGridEventSweep(deps(at(window.startAt, -3 * MIN)));
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(delivery?.body).toEqual({
      asset_id: partner.assetId,
      event_id: event.id,
      issued_timestamp: at(window.startAt, -4 * MIN).toISOString(),
      event_timestamp: at(window.startAt, -4 * MIN).toISOString(),
      market_id: "flexfleet:fleet",
      level_kw: 3.6,
      from_time: window.startAt.toISOString(),
      to_time: window.endAt.toISOString(),
      update_status_callback: `https://flex.example/api/v1/entities/asset/${partner.assetId}/callback/${event.id}`,
    });
    expect(verifyDispatchEvent("dispatch-secret", event.id, delivery?.headers.get("x-axle-signature"))).toBe(true);
    const rows = await getDb().select().from(webhookDeliveries).where(and(eq(webhookDeliveries.organisationId, org.orgId), eq(webhookDeliveries.eventType, "grid_event.dispatch")));
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([["delivered", 2]]);

    await recordPartnerCallback(org.admin, { assetId: partner.assetId, eventId: event.id, status: "ACCEPTED" });
    await recordPartnerCallback(org.admin, { assetId: partner.externalId, assetIdIsExternal: true, eventId: event.id, status: "EXECUTED" });
    await recordPartnerCallback(org.admin, { assetId: partner.assetId, eventId: event.id, status: "RECEIVED" });
    const live = await getGridEventLive(org.admin, event.id);
    expect(live.reports.map((r) => r.status)).toEqual(["ACCEPTED", "EXECUTED", "RECEIVED"]);
    expect(live.participants[0]?.status).toBe("executed");
  });
});

describe("isolation", () => {
  it("shows another organisation nothing of an event, its plan, mail or callbacks", async () => {
    const org = await createTestOrg("ge-iso");
    const other = await createTestOrg("ge-iso-other");
    const partner = await createPartnerBattery(org.admin, { email: "house@iso.test" });
    await addWebhookEndpoint(org.admin, { url: "https://partner.example/d", secret: "s", eventTypes: [] });
    const event = await createGridEvent(org.admin, { ...baseEvent, ...futureWindow(2, 30), targetKw: 1 });
    await commitDispatchPlan(org.admin, event.id);
    expect((await listOutboundEmails(org.admin)).items).toHaveLength(1);
    await expect(getGridEvent(other.admin, event.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(previewDispatchPlan(other.admin, event.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(cancelGridEvent(other.admin, event.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getGridEventLive(other.admin, event.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(recordPartnerCallback(other.admin, { assetId: partner.assetId, eventId: event.id, status: "ACCEPTED" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await listGridEvents(other.admin)).total).toBe(0);
    expect((await listOutboundEmails(other.admin)).items).toHaveLength(0);
    const otherMail = await getDb().select().from(outboundEmails).where(eq(outboundEmails.organisationId, other.orgId));
    expect(otherMail).toHaveLength(0);
  });
});
