import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { ocppCommands } from "@/db/schema";
import { randomMpan } from "@/server/api/rest/test-support";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { systemContext } from "../context";
import { createAsset } from "../inventory/assets";
import { createSite } from "../inventory/sites";
import { chargePointPlanAgainstApplied, MESSAGE_PREVIEW_CHARS, pageChargePointMessages } from "./charge-point-dashboard";
import { registerChargePoint } from "./charge-points";
import { recordAppliedSchedule } from "./commands";
import { appendOcppMessages } from "./gateway-registry";

async function addChargePoint(org: TestOrg) {
  const tag = randomUUID().slice(0, 8);
  const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA", email: `h-${tag}@example.test` });
  const asset = await createAsset(org.admin, { siteId: site.id, externalId: `direct-${tag}`, type: "charger", properties: { power_kw: 7.4 } });
  return registerChargePoint(org.admin, { assetId: asset.id, chargePointId: `cp-${tag}`, password: "a-long-enough-password-1" });
}

describe("direct charge point dashboard views", () => {
  it("pages the message log newest first and cuts oversized payloads", async () => {
    const org = await createTestOrg("ocpp-dashboard-log");
    const cp = await addChargePoint(org);
    const start = Date.parse("2026-01-14T18:00:00Z");
    await appendOcppMessages(
      { db: getDb(), actor: { type: "system", label: "test gateway" } },
      Array.from({ length: 30 }, (_, i) => ({
        organisationId: org.orgId,
        chargePointRowId: cp.id,
        direction: i % 2 === 0 ? ("in" as const) : ("out" as const),
        messageType: i % 2 === 0 ? ("CALL" as const) : ("CALLRESULT" as const),
        action: i % 2 === 0 ? "Heartbeat" : null,
        messageId: `m-${i}`,
        payload: i === 29 ? { blob: "x".repeat(MESSAGE_PREVIEW_CHARS * 2) } : { n: i },
        error: null,
        at: new Date(start + i * 1000),
      })),
    );
    const first = await pageChargePointMessages(org.admin, { id: cp.id, limit: 25 });
    expect(first.rows).toHaveLength(25);
    expect(first.rows[0]).toMatchObject({ direction: "out", truncated: true });
    expect(first.rows[0]?.payload?.length).toBe(MESSAGE_PREVIEW_CHARS + 1);
    expect(first.rows[1]).toMatchObject({ direction: "in", action: "Heartbeat", payload: '{"n":28}', truncated: false });
    expect(first.nextBefore).not.toBeNull();
    const second = await pageChargePointMessages(org.admin, { id: cp.id, limit: 25, before: first.nextBefore ?? undefined });
    expect(second.rows.map((r) => r.payload)).toEqual(['{"n":4}', '{"n":3}', '{"n":2}', '{"n":1}', '{"n":0}']);
    expect(second.nextBefore).toBeNull();

    const other = await createTestOrg("ocpp-dashboard-log-other");
    await expect(pageChargePointMessages(other.admin, { id: cp.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("shows the profile sent for the latest plan against the schedule the charger reports, in kW", async () => {
    const org = await createTestOrg("ocpp-dashboard-plan");
    const cp = await addChargePoint(org);
    expect(await chargePointPlanAgainstApplied(org.admin, { id: cp.id })).toBeNull();
    const startSchedule = "2026-01-14T23:00:00.000Z";
    const startMs = Date.parse(startSchedule);
    const [command] = await getDb()
      .insert(ocppCommands)
      .values({
        organisationId: org.orgId,
        chargePointId: cp.id,
        kind: "profile",
        action: "SetChargingProfile",
        planVersion: 2,
        status: "answered",
        response: { status: "Accepted" },
        payload: {
          connectorId: 1,
          csChargingProfiles: {
            chargingProfileId: 1,
            transactionId: 5,
            stackLevel: 1,
            chargingProfilePurpose: "TxProfile",
            chargingProfileKind: "Absolute",
            chargingSchedule: { startSchedule, duration: 3600, chargingRateUnit: "W", chargingSchedulePeriod: [{ startPeriod: 0, limit: 7400 }, { startPeriod: 1800, limit: 0 }] },
          },
        },
      })
      .returning({ id: ocppCommands.id });
    // The charger applies 16 A on three phases (11.04 kW) in the first half hour instead of 7.4 kW.
    await recordAppliedSchedule(systemContext(org.orgId, "test gateway"), {
      commandId: command?.id ?? "",
      version: "1.6",
      composite: {
        status: "Accepted",
        connectorId: 1,
        scheduleStart: startSchedule,
        chargingSchedule: { duration: 3600, chargingRateUnit: "A", chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 1800, limit: 0 }] },
      },
    });
    const view = await chargePointPlanAgainstApplied(org.admin, { id: cp.id });
    expect(view).toMatchObject({ planVersion: 2, accepted: true, matches: false });
    expect(view?.planned).toEqual([
      { time: startMs, kw: 7.4 },
      { time: startMs + 1_800_000, kw: 0 },
      { time: startMs + 3_600_000, kw: 0 },
    ]);
    expect(view?.applied).toEqual([
      { time: startMs, kw: 11.04 },
      { time: startMs + 1_800_000, kw: 0 },
      { time: startMs + 3_600_000, kw: 0 },
    ]);
    expect(view?.comparison).toEqual(expect.any(String));
  });
});
