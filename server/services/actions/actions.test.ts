import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { batteryActions, batteryWebhookEvents } from "@/db/schema";
import { verifyBatteryControlWebhook } from "@/server/domain/signatures";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg } from "@/test/fixtures";
import { createSimulatedBattery, simulatorGateway } from "../batteries/test-support";
import { getBattery, getBatteryReadings, getFleetSummary, listBatteries } from "../batteries/batteries";
import { cancelAction, createOperationModeAction, driveAction, getAction, signedVendorActionDelivery, sweepActions, type ActionDeps } from "./actions";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, modeChangeDelayMs: 150, seed: 21 });
});
afterAll(async () => {
  await sim.stop();
});

const noSchedule: ActionDeps["scheduleDrive"] = async () => {};

/** Drives the action step by step, as the job would, until it is final or `limit` steps pass. */
async function driveUntilFinal(ctx: Parameters<typeof driveAction>[0], actionId: string, deps: ActionDeps, limit = 60) {
  for (let i = 0; i < limit; i++) {
    const result = await driveAction(ctx, actionId, deps);
    if (result.nextCheckAt === null) return result.state;
    await new Promise((r) => setTimeout(r, 50));
  }
  return "PENDING";
}

describe("operation-mode actions", () => {
  it("confirm once the battery reports the mode, and emit signed user:vendor-action:updated events", async () => {
    const org = await createTestOrg("actions-confirm");
    const gateway = simulatorGateway(sim);
    const { assetId, siteId } = await createSimulatedBattery(org.admin, sim, gateway, { oem: "foxess" });
    const deps: ActionDeps = { gateway, scheduleDrive: noSchedule, checkIntervalMs: 50, commandRetryBaseMs: 5000 };
    const action = await createOperationModeAction(org.admin, { assetId, operationMode: "EXPORT_FOCUS" }, deps);
    expect(action.state).toBe("PENDING");
    expect(await driveUntilFinal(org.admin, action.id, deps)).toBe("CONFIRMED");
    const confirmed = await getAction(org.admin, action.id);
    expect(confirmed).toMatchObject({ state: "CONFIRMED", failureReason: null, siteId });
    expect(confirmed.completedAt).toBeInstanceOf(Date);
    const battery = await getBattery(org.admin, assetId);
    expect(battery.operationMode).toBe("EXPORT_FOCUS");
    expect(battery.stale).toBe(false);
    expect((await listBatteries(org.admin, { mode: "EXPORT_FOCUS" })).map((b) => b.assetId)).toEqual([assetId]);
    expect((await getFleetSummary(org.admin)).online).toBe(1);
    expect((await getBatteryReadings(org.admin, { assetId, from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 86_400_000) })).length).toBeGreaterThan(0);

    const events = await getDb().select().from(batteryWebhookEvents).where(eq(batteryWebhookEvents.organisationId, org.orgId));
    const states = events.map((e) => (e.payload.pendingAction as { state: string }).state);
    expect(states).toEqual(expect.arrayContaining(["PENDING", "CONFIRMED"]));
    expect(events.every((e) => e.event === "user:vendor-action:updated")).toBe(true);
    const delivery = signedVendorActionDelivery(events.map((e) => e.payload), "whsec");
    expect(verifyBatteryControlWebhook("whsec", delivery.body, delivery.headers["x-enode-signature"])).toBe(true);
  });

  it("fail with a reason after the deadline against a battery that ignores commands, retrying the command with backoff", async () => {
    const org = await createTestOrg("actions-fail");
    const gateway = simulatorGateway(sim);
    const { assetId, device } = await createSimulatedBattery(org.admin, sim, gateway, { oem: "givenergy" });
    sim.setFaults({ ignoreCommands: true }, device.deviceId);
    const deps: ActionDeps = { gateway, scheduleDrive: noSchedule, checkIntervalMs: 50, commandRetryBaseMs: 200, deadlineSeconds: 1.5 };
    const action = await createOperationModeAction(org.admin, { assetId, operationMode: "IMPORT_FOCUS" }, deps);
    expect(await driveUntilFinal(org.admin, action.id, deps, 200)).toBe("FAILED");
    const failed = await getAction(org.admin, action.id);
    expect(failed.failureReason?.type).toBe("DEADLINE_EXCEEDED");
    expect(failed.commandAttempts).toBeGreaterThan(1);
    expect(failed.commandAttempts).toBeLessThan(8);
  });

  it("are cancelled by a newer action for the same battery, leaving one pending", async () => {
    const org = await createTestOrg("actions-cancel");
    const gateway = simulatorGateway(sim);
    const { assetId } = await createSimulatedBattery(org.admin, sim, gateway, { oem: "solis" });
    const deps: ActionDeps = { gateway, scheduleDrive: noSchedule };
    const first = await createOperationModeAction(org.admin, { assetId, operationMode: "IMPORT_FOCUS" }, deps);
    const second = await createOperationModeAction(org.admin, { assetId, operationMode: "TIME_OF_USE" }, deps);
    expect(await getAction(org.admin, first.id)).toMatchObject({ state: "CANCELLED", failureReason: { type: "SUPERSEDED" } });
    expect((await getAction(org.admin, second.id)).state).toBe("PENDING");
    const cancelled = await cancelAction(org.admin, { assetId, actionId: second.id });
    expect(cancelled.state).toBe("CANCELLED");
    await expect(cancelAction(org.admin, { assetId, actionId: second.id })).rejects.toMatchObject({ code: "CONFLICT" });
    const pending = await getDb().select().from(batteryActions).where(and(eq(batteryActions.assetId, assetId), eq(batteryActions.state, "PENDING")));
    expect(pending).toHaveLength(0);
  });

  it("leave nothing PENDING past its deadline when the worker driving them dies: the sweeper fails them", async () => {
    const org = await createTestOrg("actions-sweep");
    const gateway = simulatorGateway(sim);
    const { assetId } = await createSimulatedBattery(org.admin, sim, gateway, { oem: "sigenergy" });
    const t0 = new Date();
    // Created, then no drive job ever runs (the worker was killed before picking it up).
    const action = await createOperationModeAction(org.admin, { assetId, operationMode: "EXPORT_FOCUS" }, { gateway, scheduleDrive: noSchedule, deadlineSeconds: 120, now: t0 });
    const early = await sweepActions(new Date(t0.getTime() + 40_000), { organisationIds: [org.orgId] });
    expect(early.stuck).toEqual(expect.arrayContaining([{ orgId: org.orgId, actionId: action.id }]));
    expect((await getAction(org.admin, action.id)).state).toBe("PENDING");
    await sweepActions(new Date(t0.getTime() + 121_000), { organisationIds: [org.orgId] });
    expect(await getAction(org.admin, action.id)).toMatchObject({ state: "FAILED", failureReason: { type: "DEADLINE_EXCEEDED" } });
  });

  it("are refused without dispatch consent, to viewers, and to another organisation", async () => {
    const org = await createTestOrg("actions-consent");
    const other = await createTestOrg("actions-other");
    const gateway = simulatorGateway(sim);
    const { assetId } = await createSimulatedBattery(org.admin, sim, gateway, { consent: false });
    await expect(createOperationModeAction(org.admin, { assetId, operationMode: "SELF_RELIANCE" }, { gateway, scheduleDrive: noSchedule })).rejects.toMatchObject({ code: "PRECONDITION" });
    const viewer = await org.addOperator("viewer");
    await expect(createOperationModeAction(viewer.ctx, { assetId, operationMode: "SELF_RELIANCE" }, { gateway, scheduleDrive: noSchedule })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createOperationModeAction(other.admin, { assetId, operationMode: "SELF_RELIANCE" }, { gateway, scheduleDrive: noSchedule })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await listBatteries(other.admin)).toEqual([]);
  });
});
