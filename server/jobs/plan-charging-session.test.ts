// Partner charging events with queued planning: the event, its session and the planning job commit
// together; the plan is made by the job (here its handler, run on the payload read back from the
// queue); a repeated event queues nothing; a job queued in a transaction that rolls back never exists.
import { asc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { chargingPlans } from "@/db/schema";
import { randomMpan } from "@/server/api/rest/test-support";
import { recordIntent, recordPlugIn, recordPlugOut } from "@/server/services/charging/events";
import { createAsset } from "@/server/services/inventory/assets";
import { createSite } from "@/server/services/inventory/sites";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { planChargingSessionJob, queueSessionPlanning } from "./handlers/plan-charging-session";
import { QUEUE_SCHEMA, stopBoss } from "./queue";

const queued = { planning: "queued" } as const;
const source = "partner_api" as const;
const intent = { energyRequiredKwh: 12, readyByLocalTime: "07:00", chargingMode: "minimise_charging_time" as const };

let org: TestOrg;
beforeAll(async () => {
  org = await createTestOrg("plan-charging-session");
});
afterAll(async () => {
  await stopBoss();
});

async function newCharger(): Promise<string> {
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  return (await createAsset(org.admin, { siteId: site.id, externalId: `queued-${Math.random().toString(36).slice(2)}`, type: "charger", properties: { power_kw: 7 } })).id;
}

/** The planning jobs queued for a session, oldest first. */
async function planningJobs(sessionId: string) {
  const rows = await getDb().execute<{ data: { orgId: string; sessionId: string; trigger: string } }>(
    sql`select data from ${sql.raw(QUEUE_SCHEMA)}.job where name = ${planChargingSessionJob.name} and data->>'sessionId' = ${sessionId} order by created_on`,
  );
  return [...rows].map((r) => planChargingSessionJob.schema.parse(r.data));
}

const plansOf = (sessionId: string) => getDb().select().from(chargingPlans).where(eq(chargingPlans.sessionId, sessionId)).orderBy(asc(chargingPlans.version));

describe("queued planning of partner charging events", () => {
  it("records the plug-in and its session at once and leaves the plan to the planning job", async () => {
    const assetId = await newCharger();
    const at = new Date(Date.now() - 60_000);
    const outcome = await recordPlugIn(org.admin, { assetId, source, occurredAt: at, intent }, queued);
    expect(outcome).toMatchObject({ effect: "session_opened", planIds: [], planQueued: true });
    const sessionId = outcome.sessionId ?? "";
    expect(await plansOf(sessionId)).toEqual([]);
    const jobs = await planningJobs(sessionId);
    expect(jobs).toEqual([{ orgId: org.orgId, sessionId, trigger: "plug_in" }]);

    // The same event again (another web process, a partner retry): stored once, nothing more queued.
    const repeat = await recordPlugIn(org.admin, { assetId, source, occurredAt: at, intent }, queued);
    expect(repeat).toMatchObject({ effect: "duplicate", planIds: [] });
    expect(repeat.planQueued).toBeUndefined();
    expect(await planningJobs(sessionId)).toHaveLength(1);

    const [job] = jobs;
    if (!job) throw new Error("no job");
    await planChargingSessionJob.handler(job, { id: "test", retryCount: 0 });
    const plans = await plansOf(sessionId);
    expect(plans).toHaveLength(1);
    expect(plans[0]).toMatchObject({ version: 1, trigger: "plug_in", met: true });
    expect(plans[0]?.energyKwh).toBeCloseTo(12, 6);

    // A later intent queues its own planning, with its own trigger.
    const changed = await recordIntent(org.admin, { assetId, source, intent: { ...intent, energyRequiredKwh: 5 } }, queued);
    expect(changed).toMatchObject({ effect: "version_stored", planQueued: true });
    expect((await planningJobs(sessionId)).map((j) => j.trigger)).toEqual(["plug_in", "intent"]);
  });

  it("a job queued in a transaction exists only if the transaction commits", async () => {
    const assetId = await newCharger();
    const opened = await recordPlugIn(org.admin, { assetId, source, intent }, queued);
    const sessionId = opened.sessionId ?? "";
    await expect(
      getDb().transaction(async (tx) => {
        await queueSessionPlanning(tx, { orgId: org.orgId, sessionId, trigger: "operator" });
        throw new Error("the event's write failed");
      }),
    ).rejects.toThrow("the event's write failed");
    expect((await planningJobs(sessionId)).map((j) => j.trigger)).toEqual(["plug_in"]);
    await getDb().transaction(async (tx) => {
      await queueSessionPlanning(tx, { orgId: org.orgId, sessionId, trigger: "operator" });
    });
    expect((await planningJobs(sessionId)).map((j) => j.trigger)).toEqual(["plug_in", "operator"]);
  });

  it("a closed session plans nothing when its job runs late", async () => {
    const assetId = await newCharger();
    const opened = await recordPlugIn(org.admin, { assetId, source, occurredAt: new Date(Date.now() - 120_000), intent }, queued);
    await recordPlugOut(org.admin, { assetId, source }, queued);
    const sessionId = opened.sessionId ?? "";
    await planChargingSessionJob.handler({ orgId: org.orgId, sessionId, trigger: "plug_in" }, { id: "test", retryCount: 0 });
    expect(await plansOf(sessionId)).toEqual([]);
  });
});
