import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { commitDispatchPlan, createGridEvent, getGridEvent, listStatusReports } from "@/server/services/grid-events";
import { createPartnerBattery, futureWindow } from "@/server/services/grid-events/test-support";
import { addWebhookEndpoint } from "@/server/services/webhooks/partner-webhooks";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { ALL_SCOPES, call, tokenFor } from "./test-support";

describe("POST /entities/asset/{asset_id}/callback/{event_id}", () => {
  let org: TestOrg;
  let token: string;
  let partner: { assetId: string; externalId: string };
  let outsider: { assetId: string };
  let eventId: string;
  beforeAll(async () => {
    org = await createTestOrg("rest-grid-events");
    token = await tokenFor(org, ALL_SCOPES);
    partner = await createPartnerBattery(org.admin, { powerKw: 3, externalId: randomUUID() });
    await addWebhookEndpoint(org.admin, { url: "https://partner.example/dispatch", secret: "s3cret", eventTypes: [] });
    const event = await createGridEvent(org.admin, { name: "Turn-down", direction: "turn_down", ...futureWindow(2, 30), targetKw: 2, priceGbpPerMwh: 120, propositions: ["full_asset_control"] });
    await commitDispatchPlan(org.admin, event.id);
    // A battery of the same organisation that is not in the event (created after the commit).
    outsider = await createPartnerBattery(org.admin);
    eventId = event.id;
  });

  it("records each report in order and reflects it on the participant", async () => {
    const path = `/entities/asset/${partner.assetId}/callback/${eventId}`;
    const received = await call("POST", path, { token, body: { timestamp: "2026-01-14T16:55:00Z", status: "RECEIVED" } });
    expect(received.status).toBe(200);
    expect(received.body).toEqual({ timestamp: "2026-01-14T16:55:00.000Z", status: "RECEIVED" });
    const accepted = await call("POST", `/entities/asset/${partner.assetId}/callback/${eventId}`, { token, body: { timestamp: "2026-01-14T16:56:00Z", status: "ACCEPTED" } });
    expect(accepted.status).toBe(200);
    expect((await getGridEvent(org.admin, eventId)).participants[0]?.status).toBe("accepted");
    const rejected = await call("POST", path, { token, body: { timestamp: "2026-01-14T16:57:00Z", status: "REJECTED" } });
    expect(rejected.status).toBe(200);
    const participant = (await getGridEvent(org.admin, eventId)).participants[0];
    expect(participant).toMatchObject({ status: "rejected", failureReason: "The partner reported REJECTED." });
    const reports = await listStatusReports(org.admin, eventId);
    expect(reports.map((r) => r.status)).toEqual(["RECEIVED", "ACCEPTED", "REJECTED"]);
  });

  it("accepts the partner's (UUID) external id with asset_id_is_external", async () => {
    const response = await call("POST", `/entities/asset/${partner.externalId}/callback/${eventId}?asset_id_is_external=true`, { token, body: { timestamp: "2026-01-14T17:00:00Z", status: "EXECUTED" } });
    expect(response.status).toBe(200);
    // A final REJECTED is not overridden by a later EXECUTED; the report is still kept.
    expect((await getGridEvent(org.admin, eventId)).participants[0]?.status).toBe("rejected");
    const reports = await listStatusReports(org.admin, eventId);
    expect(reports.map((r) => r.status)).toEqual(["RECEIVED", "ACCEPTED", "REJECTED", "EXECUTED"]);
    expect((await call("POST", `/entities/asset/not-a-uuid/callback/${eventId}`, { token, body: { timestamp: "2026-01-14T17:00:00Z", status: "EXECUTED" } })).status).toBe(422);
  });

  it("answers 404 for an unknown event, an unknown asset, or an asset not in the event", async () => {
    const body = { timestamp: "2026-01-14T17:00:00Z", status: "EXECUTED" };
    expect((await call("POST", `/entities/asset/${partner.assetId}/callback/${randomUUID()}`, { token, body })).status).toBe(404);
    expect((await call("POST", `/entities/asset/${partner.assetId}/callback/not-an-event`, { token, body })).status).toBe(404);
    expect((await call("POST", `/entities/asset/${randomUUID()}/callback/${eventId}`, { token, body })).status).toBe(404);
    expect((await call("POST", `/entities/asset/${outsider.assetId}/callback/${eventId}`, { token, body })).status).toBe(404);
  });

  it("refuses an unknown status or a missing timestamp with 422 naming the field", async () => {
    const path = `/entities/asset/${partner.assetId}/callback/${eventId}`;
    const badStatus = await call("POST", path, { token, body: { timestamp: "2026-01-14T17:00:00Z", status: "DONE" } });
    expect(badStatus.status).toBe(422);
    expect((badStatus.body as { detail: { loc: string[] }[] }).detail[0]?.loc).toEqual(["body", "status"]);
    const noTime = await call("POST", path, { token, body: { status: "EXECUTED" } });
    expect(noTime.status).toBe(422);
    expect((noTime.body as { detail: { loc: string[] }[] }).detail[0]?.loc).toEqual(["body", "timestamp"]);
  });

  it("refuses malformed JSON, wrong types, an impossible timestamp and a bad flag with 422, never a 500", async () => {
    const path = `/entities/asset/${partner.assetId}/callback/${eventId}`;
    const malformed = await call("POST", path, { token, rawBody: '{"status": "EXECUTED",', headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(422);
    const wrongTypes = await call("POST", path, { token, body: { timestamp: 1_768_409_000, status: 3 } });
    expect(wrongTypes.status).toBe(422);
    expect((wrongTypes.body as { detail: { loc: string[] }[] }).detail.map((issue) => issue.loc.join("."))).toEqual(expect.arrayContaining(["body.timestamp", "body.status"]));
    const impossible = await call("POST", path, { token, body: { timestamp: "2026-02-30T25:00:00Z", status: "EXECUTED" } });
    expect(impossible.status).toBe(422);
    const arrayBody = await call("POST", path, { token, body: [] });
    expect(arrayBody.status).toBe(422);
    const badFlag = await call("POST", `${path}?asset_id_is_external=perhaps`, { token, body: { timestamp: "2026-01-14T17:00:00Z", status: "EXECUTED" } });
    expect(badFlag.status).toBe(422);
    expect((badFlag.body as { detail: { loc: string[] }[] }).detail[0]?.loc).toEqual(["query", "asset_id_is_external"]);
    // None of the refused requests was recorded.
    expect((await listStatusReports(org.admin, eventId)).map((r) => r.status)).toEqual(["RECEIVED", "ACCEPTED", "REJECTED", "EXECUTED"]);
  });

  it("gives another organisation's token 404 and needs a token at all", async () => {
    const other = await createTestOrg("rest-grid-events-other");
    const otherToken = await tokenFor(other, ALL_SCOPES);
    const body = { timestamp: "2026-01-14T17:00:00Z", status: "EXECUTED" };
    expect((await call("POST", `/entities/asset/${partner.assetId}/callback/${eventId}`, { token: otherToken, body })).status).toBe(404);
    expect((await call("POST", `/entities/asset/${partner.assetId}/callback/${eventId}`, { body })).status).toBe(401);
    const readOnly = await tokenFor(org, ["entities:read"]);
    expect((await call("POST", `/entities/asset/${partner.assetId}/callback/${eventId}`, { token: readOnly, body })).status).toBe(403);
  });
});
