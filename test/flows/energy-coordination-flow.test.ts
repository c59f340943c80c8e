// A grid event seen by a partner on the energy-coordination dialect, end to end over HTTP: the
// partner registers its user, location (MPAN) and battery with a client generated from the
// published document, the operator commits a turn-down event, the partner's webhook receives a
// signed LocationLPCRequested notification, its acknowledgement report accepts the participant,
// and its energy-usage report counts in the event's delivered flexibility. Another organisation's
// token sees none of it.
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALL_SCOPES, tokenFor } from "@/server/api/rest/test-support";
import { verifyEnergyCoordinationPayload } from "@/server/domain/signatures";
import {
  getGridEventCoordination,
  getSiteCoordination,
} from "@/server/services/energy-coordination/activity";
import { commitDispatchPlan, createGridEvent, getGridEvent } from "@/server/services/grid-events";
import { createPartnerBattery } from "@/server/services/grid-events/test-support";
import { getSite } from "@/server/services/inventory/sites";
import { getEventSettlementReport } from "@/server/services/rewards/settlement";
import { addWebhookEndpoint, deliverPendingWebhooks } from "@/server/services/webhooks/partner-webhooks";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import type { paths } from "@/test/published/energy-coordination-openapi";
import { startPlatformHttpServer, type PlatformHttpServer } from "./platform-http";

const HALF_HOUR = 30 * 60_000;
const DAY = 86_400_000;
const SECRET = "flow-webhook-secret";

interface Received {
  body: string;
  signature: string | undefined;
}

describe("a grid event reaches a partner on the energy-coordination dialect", () => {
  let org: TestOrg;
  let other: TestOrg;
  let server: PlatformHttpServer;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let client: ReturnType<typeof createClient<paths>>;
  let foreign: ReturnType<typeof createClient<paths>>;

  beforeAll(async () => {
    org = await createTestOrg("ec-flow");
    other = await createTestOrg("ec-flow-other");
    server = await startPlatformHttpServer();
    client = createClient<paths>({
      baseUrl: server.baseUrl,
      headers: { authorization: `Bearer ${await tokenFor(org, ALL_SCOPES)}` },
    });
    foreign = createClient<paths>({
      baseUrl: server.baseUrl,
      headers: { authorization: `Bearer ${await tokenFor(other, ALL_SCOPES)}` },
    });
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const signature = req.headers["x-payload-signature"];
        received.push({
          body: Buffer.concat(chunks).toString("utf8"),
          signature: Array.isArray(signature) ? signature[0] : signature,
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notify`;
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  });

  it("notifies the limit, takes the acknowledgement and counts the reported usage; another organisation sees nothing", async () => {
    // The partner's battery, which we cannot reach ourselves, and the partner's dispatch endpoint (as in the entities dialect).
    const battery = await createPartnerBattery(org.admin, { powerKw: 4, externalId: "flow-battery" });
    const mpan = (await getSite(org.admin, { siteId: battery.siteId })).mpan;
    await addWebhookEndpoint(org.admin, {
      url: "https://partner.example/dispatch",
      secret: "dispatch-secret",
      eventTypes: ["grid_event.dispatch"],
    });

    // The partner registers its user, location and battery, and a webhook for power limits.
    expect((await client.POST("/users", { body: { userId: "flow-user" } })).response.status).toBe(201);
    const home = { params: { path: { userId: "flow-user", locationId: "flow-home" } } };
    expect(
      (
        await client.POST("/users/{userId}/locations", {
          params: { path: { userId: "flow-user" } },
          body: { locationId: "flow-home", locationType: "Residential", meterPointIds: [mpan] },
        })
      ).response.status,
    ).toBe(201);
    expect(
      (
        await client.POST("/users/{userId}/locations/{locationId}/resources", {
          ...home,
          body: { resourceId: "flow-battery", resourceType: "Generic" },
        })
      ).response.status,
    ).toBe(201);
    const hook = await client.POST("/webhooks", {
      body: {
        webhookUrl: receiverUrl,
        webhookSecret: SECRET,
        notificationTypes: ["LocationLPCRequested", "ResourceLPCRequested"],
      },
    });
    expect(hook.response.status).toBe(201);

    // The operator plans a one-hour turn-down event (planned earlier, so that it is over by now and usage can be reported).
    const startAt = new Date(Math.floor((Date.now() - 3 * 3_600_000) / HALF_HOUR) * HALF_HOUR);
    const endAt = new Date(startAt.getTime() + 2 * HALF_HOUR);
    const plannedAt = new Date(startAt.getTime() - 3_600_000);
    const event = await createGridEvent(
      org.admin,
      {
        name: "Evening peak",
        direction: "turn_down",
        targetKw: 3,
        priceGbpPerMwh: 250,
        propositions: ["full_asset_control"],
        startAt,
        endAt,
      },
      plannedAt,
    );
    const plan = await commitDispatchPlan(org.admin, event.id, { now: plannedAt });
    expect(plan.participants).toEqual([
      expect.objectContaining({ assetId: battery.assetId, control: "partner_webhook", plannedKw: 3.6 }),
    ]);

    // The notifications go out through the partner outbox, signed over the exact body.
    await deliverPendingWebhooks({ orgId: org.orgId });
    const notifications = received.map((r) => ({
      ...r,
      parsed: JSON.parse(r.body) as {
        notificationType: string;
        eventId: string;
        payload: { targets: Record<string, unknown>[] };
      },
    }));
    expect(notifications.map((n) => n.parsed.notificationType).sort()).toEqual([
      "LocationLPCRequested",
      "ResourceLPCRequested",
    ]);
    for (const notification of notifications) {
      expect(notification.signature).toBe(
        createHmac("sha256", SECRET).update(notification.body, "utf8").digest("base64"),
      );
      expect(verifyEnergyCoordinationPayload(SECRET, notification.body, notification.signature)).toBe(true);
    }
    const location = notifications.find((n) => n.parsed.notificationType === "LocationLPCRequested");
    expect(location?.parsed.payload.targets).toEqual([
      {
        locationId: "flow-home",
        meterPointId: mpan,
        resolution: "00:30:00",
        points: [
          { maxPowerInKiloWatts: -3.6, timestamp: startAt.toISOString() },
          { maxPowerInKiloWatts: -3.6, timestamp: new Date(startAt.getTime() + HALF_HOUR).toISOString() },
        ],
      },
    ]);
    const lpcEventId = location?.parsed.eventId ?? "";
    expect(
      (await client.GET("/events/{eventId}", { params: { path: { eventId: lpcEventId } } })).data?.payload,
    ).toMatchObject({ payloadType: "LocationLPC" });
    const logs = await client.GET("/webhooks/logs", {});
    expect(
      logs.data?.webhookNotificationLogs?.map((l) => [
        l.notificationType,
        l.responseStatusCode,
        l.sparkSignature !== null,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ["LocationLPCRequested", 200, true],
        ["ResourceLPCRequested", 200, true],
      ]),
    );

    // The partner accepts the limit at its location: the participant is accepted, as the entities callback would make it.
    const ack = await client.POST("/reports", {
      body: {
        eventId: lpcEventId,
        payloads: [
          {
            payloadType: "LocationLPCAcknowledgement",
            acknowledgedTargets: [{ locationId: "flow-home", meterPointId: mpan }],
          } as never,
        ],
      },
    });
    expect(ack.response.status).toBe(200);
    expect((await getGridEvent(org.admin, event.id)).participants.map((p) => p.status)).toEqual(["accepted"]);

    // Usage: 0.5 kWh imported in these half-hours on the previous days (the baseline), 1.5 kWh exported during the event.
    const points = [];
    for (let day = 1; day <= 14; day += 1) {
      for (let slot = 0; slot < 2; slot += 1)
        points.push({
          timestamp: new Date(startAt.getTime() - day * DAY + slot * HALF_HOUR).toISOString(),
          kiloWattHours: 0.5,
        });
    }
    for (let slot = 0; slot < 2; slot += 1)
      points.push({
        timestamp: new Date(startAt.getTime() + slot * HALF_HOUR).toISOString(),
        kiloWattHours: -1.5,
      });
    const usage = await client.POST("/reports", {
      body: {
        eventId: lpcEventId,
        payloads: [
          { payloadType: "EnergyUsage", resourceId: "flow-battery", resolution: "00:30:00", points } as never,
        ],
      },
    });
    expect(usage.response.status).toBe(200);
    const settlement = await getEventSettlementReport(org.admin, event.id);
    // Per half-hour: baseline 0.5 kWh minus actual -1.5 kWh = 2 kWh delivered, over two half-hours.
    expect(settlement.deliveredKwh).toBeCloseTo(4, 6);
    expect(settlement.sites).toEqual([
      expect.objectContaining({ siteId: battery.siteId, deliveredKwh: 4, earns: true }),
    ]);

    // A report naming a field badly is refused with the field named, and changes nothing.
    const bad = await client.POST("/reports", {
      body: {
        payloads: [
          {
            payloadType: "EnergyUsage",
            resourceId: "flow-battery",
            resolution: "half an hour",
            points,
          } as never,
        ],
      },
    });
    expect(bad.response.status).toBe(400);
    expect(Object.keys((bad.error as unknown as { errors: Record<string, string[]> }).errors)).toEqual([
      "payloads[0].resolution",
    ]);

    // Another organisation's token sees none of it.
    expect((await foreign.GET("/events", {})).data?.events).toEqual([]);
    expect(
      (await foreign.GET("/events/{eventId}", { params: { path: { eventId: lpcEventId } } })).response.status,
    ).toBe(404);
    expect(
      (await foreign.GET("/users/{userId}", { params: { path: { userId: "flow-user" } } })).response.status,
    ).toBe(404);
    expect((await foreign.GET("/users/{userId}/locations/{locationId}", home)).response.status).toBe(404);
    expect(
      (await foreign.GET("/resources/{resourceId}", { params: { path: { resourceId: "flow-battery" } } }))
        .response.status,
    ).toBe(404);
    expect((await foreign.GET("/webhooks", {})).data?.webhooks).toEqual([]);
    expect((await foreign.GET("/webhooks/logs", {})).data?.webhookNotificationLogs).toEqual([]);
    const foreignAck = await foreign.POST("/reports", {
      body: {
        eventId: lpcEventId,
        payloads: [
          {
            payloadType: "LocationLPCAcknowledgement",
            declinedTargets: [{ locationId: "flow-home", meterPointId: mpan }],
          } as never,
        ],
      },
    });
    expect(foreignAck.response.status).toBe(400);
    expect((await getGridEvent(org.admin, event.id)).participants.map((p) => p.status)).toEqual(["accepted"]);
    expect(server.contractViolations).toEqual([]);

    // The operator sees the same on the grid event's and the site's pages; the other organisation nothing.
    const onEvent = await getGridEventCoordination(org.admin, event.id);
    expect(onEvent.events.map((e) => [e.payloadType, e.targetCount])).toEqual([
      ["LocationLPC", 1],
      ["ResourceLPC", 1],
    ]);
    expect(onEvent.reports.flatMap((r) => r.payloads.map((p) => [p.payloadType, p.outcome]))).toEqual([
      ["EnergyUsage", { payloadType: "EnergyUsage", readings: 30 }],
      ["LocationLPCAcknowledgement", { payloadType: "LocationLPCAcknowledgement", participants: 1 }],
    ]);
    const onSite = await getSiteCoordination(org.admin, battery.siteId);
    expect(onSite.events.map((e) => e.payloadType).sort()).toEqual(["LocationLPC", "ResourceLPC"]);
    expect(onSite.reports).toHaveLength(2);
    expect((await getGridEventCoordination(other.admin, event.id)).events).toEqual([]);
    await expect(getSiteCoordination(other.admin, battery.siteId)).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
