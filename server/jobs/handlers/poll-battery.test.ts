import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { batteryPollStates } from "@/db/schema";
import { pollOffsetSeconds } from "@/server/services/batteries/batteries";
import { createSimulatedBattery, simulatorGateway } from "@/server/services/batteries/test-support";
import { createAsset } from "@/server/services/inventory/assets";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg } from "@/test/fixtures";
import { stopBoss } from "../queue";
import { POLL_SCHEDULE_AHEAD_MS, schedulePolls } from "./poll-battery";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 77 });
});
afterAll(async () => {
  await sim.stop();
  await stopBoss();
});

/** The poll jobs really sitting in the queue for one battery. */
async function queuedPolls(assetId: string): Promise<Date[]> {
  const rows = await getDb().execute<{ start_after: string }>(
    sql`select start_after from pgboss.job where name = 'battery.poll' and jsonb_exists(data->'assetIds', ${assetId}) order by start_after`,
  );
  return [...rows].map((row) => new Date(row.start_after));
}

describe("battery.schedule-polls", () => {
  it("puts the batteries of an organisation that share a slot in one job", async () => {
    const org = await createTestOrg("schedule-polls-group");
    const gateway = simulatorGateway(sim);
    const assetIds: string[] = [];
    for (const oem of ["givenergy", "solis", "foxess", "givenergy"] as const) assetIds.push((await createSimulatedBattery(org.admin, sim, gateway, { oem, consent: false })).assetId);
    const now = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 240_000);
    const offsets = new Set(assetIds.map((id) => pollOffsetSeconds(id, 10)));
    const slotsPerBattery = POLL_SCHEDULE_AHEAD_MS / 10_000;
    expect(await schedulePolls(now, { orgId: org.orgId, intervalSeconds: 10 })).toBe(offsets.size * slotsPerBattery);
    const rows = await getDb().execute<{ asset_ids: string[] }>(sql`select data->'assetIds' as asset_ids from pgboss.job where name = 'battery.poll' and data->>'orgId' = ${org.orgId}`);
    expect(rows).toHaveLength(offsets.size * slotsPerBattery);
    for (const row of rows) expect(new Set(row.asset_ids.map((id) => pollOffsetSeconds(id, 10))).size).toBe(1);
    expect(rows.reduce((n, row) => n + row.asset_ids.length, 0)).toBe(assetIds.length * slotsPerBattery);
  });

  it("queues each battery's polls for the coming two minutes at its own offset, once, and skips batteries without a credential", async () => {
    const org = await createTestOrg("schedule-polls");
    const gateway = simulatorGateway(sim);
    const { assetId, siteId } = await createSimulatedBattery(org.admin, sim, gateway, { oem: "givenergy", consent: false });
    const uncredentialed = await createSimulatedBattery(org.admin, sim, gateway, { oem: "foxess", consent: false });
    // A second battery on a site whose credential was removed is not pollable.
    await getDb().execute(sql`delete from oem_credentials where site_id = ${uncredentialed.siteId}`);
    const stray = await createAsset(org.admin, { siteId, externalId: "no-device-id", type: "battery", properties: { power_kw: 3, capacity_kwh: 5 }, oem: "givenergy" });

    const now = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 60_000);
    // Interval 20 s: six polls in the two minutes, spaced by the interval, at the battery's offset.
    const queued = await schedulePolls(now, { orgId: org.orgId, intervalSeconds: 20 });
    expect(queued).toBe(6);
    const slots = await queuedPolls(assetId);
    expect(slots).toHaveLength(6);
    const offsetMs = pollOffsetSeconds(assetId, 20) * 1000;
    for (const slot of slots) {
      expect(slot.getTime() % 20_000).toBe(offsetMs);
      expect(slot.getTime()).toBeGreaterThanOrEqual(now.getTime());
      expect(slot.getTime()).toBeLessThan(now.getTime() + POLL_SCHEDULE_AHEAD_MS);
    }
    expect(await queuedPolls(uncredentialed.assetId)).toEqual([]);
    expect(await queuedPolls(stray.id)).toEqual([]);

    // The job runs every minute and may run twice: the same minute queues nothing new, and the
    // next minute's run adds only the slots past the first window.
    expect(await schedulePolls(now, { orgId: org.orgId, intervalSeconds: 20 })).toBe(0);
    expect(await queuedPolls(assetId)).toHaveLength(6);
    expect(await schedulePolls(new Date(now.getTime() + 60_000), { orgId: org.orgId, intervalSeconds: 20 })).toBe(3);
  });

  it("holds back a battery that is backing off after errors until its next poll time", async () => {
    const org = await createTestOrg("schedule-polls-backoff");
    const gateway = simulatorGateway(sim);
    const { assetId } = await createSimulatedBattery(org.admin, sim, gateway, { oem: "solis", consent: false });
    const now = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 120_000);
    await getDb()
      .insert(batteryPollStates)
      .values({ assetId, organisationId: org.orgId, consecutiveFailures: 3, lastErrorCode: "OEM_UNAVAILABLE", nextPollAt: new Date(now.getTime() + 10 * 60_000) });
    expect(await schedulePolls(now, { orgId: org.orgId, intervalSeconds: 20 })).toBe(0);
    expect(await queuedPolls(assetId)).toEqual([]);

    // Next poll time inside the window: only the slots from then on.
    await getDb().execute(sql`update battery_poll_states set next_poll_at = ${new Date(now.getTime() + 30_000).toISOString()}::timestamptz where asset_id = ${assetId}`);
    const queued = await schedulePolls(now, { orgId: org.orgId, intervalSeconds: 20 });
    const slots = await queuedPolls(assetId);
    expect(slots).toHaveLength(queued);
    expect(queued).toBeGreaterThanOrEqual(1);
    for (const slot of slots) expect(slot.getTime()).toBeGreaterThanOrEqual(now.getTime() + 30_000);
  });

  it("queues nothing for another organisation's batteries", async () => {
    const org = await createTestOrg("schedule-polls-mine");
    const other = await createTestOrg("schedule-polls-other");
    const { assetId } = await createSimulatedBattery(org.admin, sim, simulatorGateway(sim), { oem: "givenergy", consent: false });
    const now = new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 180_000);
    expect(await schedulePolls(now, { orgId: other.orgId, intervalSeconds: 20 })).toBe(0);
    expect(await queuedPolls(assetId)).toEqual([]);
  });
});
