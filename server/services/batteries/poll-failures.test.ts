// What a failed poll does to the site's credential: only the cloud's refusal rejects it. A time-out,
// an unreachable cloud or the OEM guard's per-device cooldown is a failed poll, nothing more.
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { batteryPollStates } from "@/db/schema";
import { getConfig } from "@/server/config";
import { OemCredentialRejectedError, OemUnavailableError, type OemGateway } from "@/server/oem";
import { guardOemGateway } from "@/server/oem/guard";
import { createTestOrg } from "@/test/fixtures";
import type { ServiceContext } from "../context";
import { getOemCredentialSummary, submitOemCredential } from "../credentials/credentials";
import { createAsset } from "../inventory/assets";
import { createSite } from "../inventory/sites";
import { listBatteries, pollBatteries, pollBattery } from "./batteries";
import { randomMpan } from "./test-support";

const NOW = new Date("2026-06-01T12:00:00Z");

/** A gateway that accepts every credential and answers reads with `read`. */
function gatewayReading(read: OemGateway["readState"]): OemGateway {
  return {
    verifyCredential: async () => undefined,
    readState: read,
    setOperationMode: async () => undefined,
    writeSchedule: async () => undefined,
    supportsSchedules: () => false,
  };
}

const accepting = gatewayReading(async () => {
  throw new Error("not read in this test");
});

async function batteryWithCredential(ctx: ServiceContext, credential: { tokenType?: "API_KEY" | "Bearer"; refreshToken?: string; expiresAt?: Date } = {}) {
  const site = await createSite(ctx, { mpan: randomMpan(), postcode: "SW1A 1AA" });
  const asset = await createAsset(ctx, { siteId: site.id, externalId: `poll-failure-${site.id}`, type: "battery", properties: { power_kw: 3 }, oem: "givenergy", oemDeviceId: `dev-${site.id}` });
  await submitOemCredential(
    ctx,
    { siteId: site.id, oem: "givenergy", tokenType: credential.tokenType ?? "API_KEY", accessToken: "first-key-0001", refreshToken: credential.refreshToken, expiresAt: credential.expiresAt },
    { gateway: accepting, now: NOW },
  );
  return { siteId: site.id, assetId: asset.id };
}

const timeOut = () => {
  throw new OemUnavailableError("givenergy", "no answer within 10000 ms after 4 attempt(s)");
};

describe("a failed battery poll and the site's credential", () => {
  it("leaves the credential valid when the cloud times out, and when the OEM guard's cooldown refuses the next call", async () => {
    const org = await createTestOrg("poll-failures-timeout");
    const battery = await batteryWithCredential(org.admin);
    let reads = 0;
    const guarded = guardOemGateway(
      gatewayReading(async () => {
        reads += 1;
        return timeOut();
      }),
      { concurrency: 4, waitTimeoutMs: 100, deviceCooldownMs: 60_000 },
      () => NOW.getTime(),
    );

    const interval = getConfig().batteries.pollIntervalSeconds;
    const timedOut = await pollBattery(org.admin, battery.assetId, { gateway: guarded, now: NOW });
    expect(timedOut).toMatchObject({ ok: false, errorCode: "OEM_UNAVAILABLE", retryInSeconds: interval });
    const cooling = await pollBattery(org.admin, battery.assetId, { gateway: guarded, now: NOW });
    expect(cooling).toMatchObject({ ok: false, errorCode: "OEM_UNAVAILABLE", retryInSeconds: 2 * interval });
    const [state] = await getDb().select().from(batteryPollStates).where(eq(batteryPollStates.assetId, battery.assetId));
    expect(state).toMatchObject({ consecutiveFailures: 2, lastErrorCode: "OEM_UNAVAILABLE", nextPollAt: new Date(NOW.getTime() + 2 * interval * 1000) });
    expect(reads).toBe(1); // the second poll was refused by the cooldown, without asking the cloud

    expect((await getOemCredentialSummary(org.admin, battery.siteId, NOW))?.status).toBe("valid");
    const [listed] = await listBatteries(org.admin, { search: "poll-failure" }, NOW);
    expect(listed?.credentialStatus).toBe("valid");
  });

  it("backs off every failing battery of a poll job, each by its own run of failures, capped at an hour", async () => {
    const org = await createTestOrg("poll-failures-backoff");
    const first = await batteryWithCredential(org.admin);
    const longFailing = await batteryWithCredential(org.admin);
    await getDb().insert(batteryPollStates).values({ assetId: longFailing.assetId, organisationId: org.orgId, consecutiveFailures: 5000, lastErrorCode: "OEM_UNAVAILABLE" });
    const gateway = gatewayReading(async () => timeOut());
    expect(await pollBatteries(org.admin, [first.assetId, longFailing.assetId], { gateway, now: NOW })).toEqual({ ok: 0, failed: 2 });
    const states = new Map(
      (await getDb().select().from(batteryPollStates).where(inArray(batteryPollStates.assetId, [first.assetId, longFailing.assetId]))).map((s) => [s.assetId, s]),
    );
    const interval = getConfig().batteries.pollIntervalSeconds;
    expect(states.get(first.assetId)).toMatchObject({ consecutiveFailures: 1, nextPollAt: new Date(NOW.getTime() + interval * 1000) });
    expect(states.get(longFailing.assetId)).toMatchObject({ consecutiveFailures: 5001, nextPollAt: new Date(NOW.getTime() + 3600 * 1000) });
  });

  it("rejects the credential when the cloud refuses it, but not one submitted again while the refused call was out", async () => {
    const org = await createTestOrg("poll-failures-rejected");
    const refused = await batteryWithCredential(org.admin);
    const refusing = gatewayReading(async () => {
      throw new OemCredentialRejectedError("givenergy", "invalid", "HTTP 401 Unauthenticated");
    });
    expect(await pollBattery(org.admin, refused.assetId, { gateway: refusing, now: NOW })).toMatchObject({ ok: false, errorCode: "OEM_CREDENTIAL_REJECTED" });
    expect((await getOemCredentialSummary(org.admin, refused.siteId, NOW))?.status).toBe("rejected");

    const replaced = await batteryWithCredential(org.admin);
    const refusingTheOldKey = gatewayReading(async () => {
      // The operator submits a new key while the call with the old one is still out.
      await submitOemCredential(org.admin, { siteId: replaced.siteId, oem: "givenergy", tokenType: "API_KEY", accessToken: "second-key-0002" }, { gateway: accepting, now: NOW });
      throw new OemCredentialRejectedError("givenergy", "invalid", "HTTP 401 Unauthenticated");
    });
    await pollBattery(org.admin, replaced.assetId, { gateway: refusingTheOldKey, now: NOW });
    expect(await getOemCredentialSummary(org.admin, replaced.siteId, NOW)).toMatchObject({ status: "valid", lastFour: "0002" });
  });

  it("lists a refreshable Bearer token nearing its expiry as valid, as the credential summary does", async () => {
    const org = await createTestOrg("poll-failures-refreshable");
    const expiresAt = new Date(NOW.getTime() + 86_400_000);
    const refreshable = await batteryWithCredential(org.admin, { tokenType: "Bearer", refreshToken: "refresh-token-1", expiresAt });
    const notRefreshable = await batteryWithCredential(org.admin, { tokenType: "Bearer", expiresAt });
    const listed = new Map((await listBatteries(org.admin, {}, NOW)).map((b) => [b.assetId, b.credentialStatus]));
    expect(listed.get(refreshable.assetId)).toBe("valid");
    expect((await getOemCredentialSummary(org.admin, refreshable.siteId, NOW))?.status).toBe("valid");
    expect(listed.get(notRefreshable.assetId)).toBe("expiring");
  });
});
