// The energy-coordination services on the shared inventory and the platform's own events.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { consentRecords, customers, sites, webhookDeliveries, webhookDeliveryAttempts } from "@/db/schema";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { commitDispatchPlan, createGridEvent, getGridEvent } from "../grid-events";
import { createPartnerBattery, futureWindow } from "../grid-events/test-support";
import { getSite } from "../inventory/sites";
import { storePriceCurve } from "../market-prices/market-prices";
import { addManualRewardEntry } from "../rewards/ledger";
import { addWebhookEndpoint, deliverPendingWebhooks } from "../webhooks/partner-webhooks";
import { listCoordinationEvents, listEventsFromSource } from "./events";
import {
  createLocation,
  deleteUser,
  getLocation,
  registerLocationResource,
  registerUsers,
  updateLocation,
} from "./inventory";
import { enrolUser, getUserCompensation, getUserEnrolment, monthOf, unenrolUser } from "./programme";
import { postReport } from "./reports";
import { createSimulatedPartnerData, setCoordinationSimulation, simulateUserEligibility } from "./simulation";
import { createCoordinationWebhook, listNotificationLog } from "./webhooks";

describe("energy-coordination services", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg("ec-services");
  });

  async function userWithBattery(userId: string) {
    const battery = await createPartnerBattery(org.admin, { externalId: `${userId}-battery` });
    const mpan = (await getSite(org.admin, { siteId: battery.siteId })).mpan;
    await registerUsers(org.admin, [userId]);
    await createLocation(org.admin, userId, { locationId: `${userId}-home`, meterPointIds: [mpan] });
    return { ...battery, mpan };
  }

  it("makes the sites a location names the user's sites, and refuses a meter point id that is not an MPAN, naming it", async () => {
    const { siteId, mpan } = await userWithBattery("svc-user-1");
    const [site] = await getDb()
      .select({ customerId: sites.customerId })
      .from(sites)
      .where(eq(sites.id, siteId));
    const [customer] = await getDb()
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.organisationId, org.orgId), eq(customers.externalUserId, "svc-user-1")));
    expect(site?.customerId).toBe(customer?.id);
    await expect(
      updateLocation(org.admin, "svc-user-1", "svc-user-1-home", { meterPointIds: [mpan, "12345"] }, true),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      issues: [expect.objectContaining({ path: ["meterPointIds", 1] })],
    });
    expect((await getLocation(org.admin, "svc-user-1", "svc-user-1-home")).meterPointIds).toEqual([mpan]);
    await expect(
      createLocation(org.admin, "svc-user-1", { locationId: "svc-user-1-home" }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("deleting a user offboards its sites as the offboarding service does", async () => {
    const { siteId } = await userWithBattery("svc-user-2");
    expect(await deleteUser(org.admin, "svc-user-2")).toEqual({ offboardedSites: 1 });
    expect((await getSite(org.admin, { siteId })).status).toBe("offboarded");
    const withdrawn = await getDb()
      .select({ action: consentRecords.action })
      .from(consentRecords)
      .where(eq(consentRecords.siteId, siteId));
    expect(withdrawn.map((r) => r.action)).toContain("withdrawn");
    await expect(getLocation(org.admin, "svc-user-2", "svc-user-2-home")).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("unenrols a user's sites as a UserEligibility event, and refuses to enrol sites that are not eligible, saying why", async () => {
    await userWithBattery("svc-user-3");
    expect((await getUserEnrolment(org.admin, "svc-user-3")).isEnrolled).toBe(true);
    await unenrolUser(org.admin, "svc-user-3");
    expect((await getUserEnrolment(org.admin, "svc-user-3")).isEnrolled).toBe(false);
    const [event] = (await listCoordinationEvents(org.admin, { page: 1, pageSize: 1 })).items;
    expect(event?.payload).toMatchObject({
      payloadType: "UserEligibility",
      addedUsers: [],
      removedUsers: ["svc-user-3"],
    });
    await expect(enrolUser(org.admin, "svc-user-3")).rejects.toMatchObject({
      code: "PRECONDITION",
      message: expect.stringContaining("eligible"),
    });
  });

  it("answers compensation from this month's ledger entries per location, by the clock it is given", async () => {
    const { siteId } = await userWithBattery("svc-user-4");
    await addManualRewardEntry(org.admin, {
      siteId,
      entryType: "correction",
      amountPence: 250,
      note: "test credit",
    });
    const now = new Date();
    const thisMonth = await getUserCompensation(org.admin, "svc-user-4", now);
    expect(thisMonth.period).toEqual({ from: monthOf(now).from, to: monthOf(now).to });
    expect(thisMonth.locations).toEqual([
      expect.objectContaining({
        locationId: "svc-user-4-home",
        activePence: 0,
        blockedPence: 250,
        problems: [],
      }),
    ]);
    const nextMonth = await getUserCompensation(
      org.admin,
      "svc-user-4",
      new Date(now.getTime() + 32 * 86_400_000),
    );
    expect(nextMonth.locations[0]).toMatchObject({ activePence: 0, blockedPence: 0 });
    expect(monthOf(new Date("2026-03-31T23:30:00Z"))).toMatchObject({ from: "2026-04-01", to: "2026-04-30" });
  });

  it("turns a published price curve into a PriceCurve event for the located resources, notified once per webhook with every attempt logged", async () => {
    await registerUsers(org.admin, ["svc-user-5"]);
    await createLocation(org.admin, "svc-user-5", { locationId: "svc-user-5-home" });
    await registerLocationResource(org.admin, "svc-user-5", "svc-user-5-home", {
      resourceId: "svc-heater",
      resourceType: "HotWaterTank",
    });
    const webhook = await createCoordinationWebhook(org.admin, {
      webhookUrl: "http://127.0.0.1:9/unreachable",
      webhookSecret: "price-secret",
      notificationTypes: ["PriceCurveCreated"],
    });
    const start = new Date(Math.ceil(Date.now() / 1_800_000) * 1_800_000);
    const { curve } = await storePriceCurve(org.admin, {
      points: [{ start: start.toISOString(), priceGbpPerMwh: 80 }],
    });
    const [event] = (await listCoordinationEvents(org.admin, { page: 1, pageSize: 1 })).items;
    expect(event).toMatchObject({ source: "market_prices", sourceId: curve.id, payloadType: "PriceCurve" });
    expect(event?.payload).toMatchObject({
      targets: expect.arrayContaining([{ resourceId: "svc-heater", locationId: "svc-user-5-home" }]),
      priceArea: "WHOLESALE",
      priceCurveDelta: {
        currency: "GBP",
        energyUnit: "MWh",
        points: [{ price: 80, timestamp: start.toISOString() }],
      },
    });

    // The receiver is down: the outbox retries with backoff and logs each attempt.
    await deliverPendingWebhooks({ orgId: org.orgId });
    await deliverPendingWebhooks({ orgId: org.orgId, now: new Date(Date.now() + 60_000) });
    const [delivery] = await getDb()
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.organisationId, org.orgId),
          eq(webhookDeliveries.endpointId, webhook.webhookId),
        ),
      );
    expect(delivery).toMatchObject({ eventType: "PriceCurveCreated", attempts: 2, status: "pending" });
    const attempts = await getDb()
      .select()
      .from(webhookDeliveryAttempts)
      .where(eq(webhookDeliveryAttempts.deliveryId, delivery?.id ?? ""));
    expect(attempts).toHaveLength(2);
    const log = await listNotificationLog(org.admin, { webhookId: webhook.webhookId, page: 1, pageSize: 10 });
    expect(log.items.map((entry) => [entry.notificationType, entry.responseStatusCode])).toEqual([
      ["PriceCurveCreated", null],
      ["PriceCurveCreated", null],
    ]);
  });

  it("refuses a report about an unknown device or a bad resolution, naming the field, and stores nothing", async () => {
    const { mpan } = await userWithBattery("svc-user-6");
    await expect(
      postReport(org.admin, {
        payloads: [{ payloadType: "EnergyUsage", resourceId: "nobody", resolution: "00:30:00", points: [] }],
      }),
    ).rejects.toMatchObject({
      code: "VALIDATION",
      issues: [expect.objectContaining({ path: ["payloads", 0, "resourceId"] })],
    });
    await expect(
      postReport(org.admin, {
        payloads: [
          {
            payloadType: "LocationLPCAcknowledgement",
            acknowledgedTargets: [{ locationId: "svc-user-6-home", meterPointId: mpan }],
          },
        ],
      }),
    ).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: ["payloads", 0, "acknowledgedTargets", 0] })],
    });
    const plan = await postReport(org.admin, {
      payloads: [
        {
          payloadType: "LocationEnergyUsagePlan",
          locationId: "svc-user-6-home",
          meterPointId: mpan,
          resolution: "00:30:00",
          baseline: [{ timestamp: new Date().toISOString(), kiloWattHours: 1 }],
          flexibility: [],
        },
      ],
    });
    expect(plan.outcomes).toEqual([{ payloadType: "LocationEnergyUsagePlan", stored: true }]);
  });

  it("a declined device limit rejects the participant, as the entities callback does", async () => {
    const { assetId, externalId, mpan } = await userWithBattery("svc-user-7");
    await registerLocationResource(org.admin, "svc-user-7", "svc-user-7-home", {
      resourceId: externalId,
      resourceType: "Generic",
    });
    await addWebhookEndpoint(org.admin, {
      url: "https://partner.example/dispatch",
      secret: "dispatch-secret",
      eventTypes: ["grid_event.dispatch"],
    });
    const window = futureWindow(2, 30);
    const gridEvent = await createGridEvent(org.admin, {
      name: "Decline test",
      direction: "turn_down",
      targetKw: 1,
      priceGbpPerMwh: 200,
      propositions: ["full_asset_control"],
      ...window,
    });
    await commitDispatchPlan(org.admin, gridEvent.id);
    const produced = await listEventsFromSource(org.admin, "grid_event", gridEvent.id);
    const resourceEvent = produced.find((e) => e.payloadType === "ResourceLPC");
    expect(resourceEvent?.payload).toMatchObject({
      targets: expect.arrayContaining([
        expect.objectContaining({
          resourceId: externalId,
          meterPointId: mpan,
          locationId: "svc-user-7-home",
        }),
      ]),
    });
    await postReport(org.admin, {
      eventId: resourceEvent?.id,
      payloads: [
        {
          payloadType: "ResourceLPCAcknowledgement",
          declinedTargets: [{ resourceId: externalId, locationId: "svc-user-7-home", meterPointId: mpan }],
        },
      ],
    });
    const participant = (await getGridEvent(org.admin, gridEvent.id)).participants.find(
      (p) => p.assetId === assetId,
    );
    expect(participant).toMatchObject({
      status: "rejected",
      failureReason: expect.stringContaining("REJECTED"),
    });
  });

  it("refuses the sandbox where the organisation has not switched it on", async () => {
    const other = await createTestOrg("ec-services-sandbox");
    await expect(simulateUserEligibility(other.admin)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createSimulatedPartnerData(other.admin)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await setCoordinationSimulation(other.admin, true);
    await createSimulatedPartnerData(other.admin);
    const event = await simulateUserEligibility(other.admin);
    expect(event).toMatchObject({ source: "simulation", payloadType: "UserEligibility" });
  });
});
