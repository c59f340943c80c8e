// A partner's client generated from the published document (openapi-typescript types +
// openapi-fetch) walks every published operation against the platform over loopback HTTP; each
// answer must be a published status whose body validates against the published schema. The
// operations come from the document itself, so one we do not answer fails the walk.
import { eq } from "drizzle-orm";
import createClient from "openapi-fetch";
import { getDb } from "@/db/client";
import { sites } from "@/db/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateAgainstOpenApi } from "@/server/api/openapi/validate";
import { ALL_SCOPES, tokenFor } from "@/server/api/rest/test-support";
import { setCoordinationSimulation } from "@/server/services/energy-coordination/simulation";
import { createPartnerBattery } from "@/server/services/grid-events/test-support";
import { getSite } from "@/server/services/inventory/sites";
import { deliverPendingWebhooks } from "@/server/services/webhooks/partner-webhooks";
import { createTestOrg } from "@/test/fixtures";
import { mediaTypeOf, startPlatformHttpServer, type PlatformHttpServer } from "@/test/flows/platform-http";
import type { paths } from "./energy-coordination-openapi";
import { publishedDocumentForValidation, publishedOperations } from "./energy-coordination";

describe("a client generated from the published energy-coordination document", () => {
  let server: PlatformHttpServer;
  let client: ReturnType<typeof createClient<paths>>;
  let mpan: string;
  let orgId: string;
  const document = publishedDocumentForValidation();
  const called = new Set<string>();
  const problems: string[] = [];

  beforeAll(async () => {
    const org = await createTestOrg("ec-walk");
    orgId = org.orgId;
    await setCoordinationSimulation(org.admin, true);
    const battery = await createPartnerBattery(org.admin, { externalId: "walk-battery" });
    mpan = (await getSite(org.admin, { siteId: battery.siteId })).mpan;
    // The helper consents and enrols the site without recomputing its stored eligibility; mark it as the recompute would.
    await getDb()
      .update(sites)
      .set({ eligiblePropositions: ["full_asset_control"] })
      .where(eq(sites.id, battery.siteId));
    server = await startPlatformHttpServer();
    const token = await tokenFor(org, ALL_SCOPES);
    client = createClient<paths>({ baseUrl: server.baseUrl, headers: { authorization: `Bearer ${token}` } });
  });
  afterAll(async () => server?.stop());

  /** Records the operation and checks its answer against the published document. */
  async function step<T extends { response: Response; data?: unknown; error?: unknown }>(
    operationId: string,
    method: string,
    template: string,
    call: Promise<T>,
  ): Promise<T> {
    const result = await call;
    called.add(operationId);
    const body = result.data ?? result.error;
    const check = validateAgainstOpenApi(
      document,
      method,
      template,
      result.response.status,
      body === "" ? undefined : body,
      mediaTypeOf(result.response.headers),
    );
    if (!check.valid)
      problems.push(
        `${operationId} -> ${result.response.status}: ${check.errors.join("; ")} ${JSON.stringify(body)?.slice(0, 300)}`,
      );
    if (result.response.status >= 300)
      problems.push(
        `${operationId} answered ${result.response.status}: ${JSON.stringify(body)?.slice(0, 300)}`,
      );
    return result;
  }

  it("walks every published operation, each answer as published", async () => {
    const u = (userId: string) => ({ params: { path: { userId } } });
    await step("PostUser", "post", "/users", client.POST("/users", { body: { userId: "walk-user-1" } }));
    await step(
      "PostUsers",
      "post",
      "/users/batch",
      client.POST("/users/batch", {
        body: { users: [{ userId: "walk-user-2" }, { userId: "walk-user-3" }] },
      }),
    );
    const users = await step(
      "GetUsers",
      "get",
      "/users",
      client.GET("/users", { params: { query: { page: 1, pageSize: 2 } } }),
    );
    expect(users.data?.pagination).toMatchObject({ totalRecords: 3, totalPages: 2, nextPage: 2 });
    await step("GetUserById", "get", "/users/{userId}", client.GET("/users/{userId}", u("walk-user-1")));

    const loc = { params: { path: { userId: "walk-user-1", locationId: "walk-home" } } };
    await step(
      "PostLocation",
      "post",
      "/users/{userId}/locations",
      client.POST("/users/{userId}/locations", {
        ...u("walk-user-1"),
        body: {
          locationId: "walk-home",
          locationType: "Residential",
          coordinates: { latitude: 51.5, longitude: -0.1 },
          meterPointIds: [mpan],
        },
      }),
    );
    await step(
      "PostLocations",
      "post",
      "/users/locations/batch",
      client.POST("/users/locations/batch", {
        body: { locations: [{ userId: "walk-user-2", locationId: "walk-flat" }] },
      }),
    );
    await step(
      "GetLocationsByUserId",
      "get",
      "/users/{userId}/locations",
      client.GET("/users/{userId}/locations", u("walk-user-1")),
    );
    await step(
      "GetLocationByLocationId",
      "get",
      "/users/{userId}/locations/{locationId}",
      client.GET("/users/{userId}/locations/{locationId}", loc),
    );
    await step(
      "UpdateLocation",
      "put",
      "/users/{userId}/locations/{locationId}",
      client.PUT("/users/{userId}/locations/{locationId}", {
        ...loc,
        body: { locationId: "walk-home", locationType: "Residential", meterPointIds: [mpan] },
      }),
    );
    const patched = await step(
      "PatchLocation",
      "patch",
      "/users/{userId}/locations/{locationId}",
      client.PATCH("/users/{userId}/locations/{locationId}", {
        ...loc,
        body: { coordinates: { latitude: 51.6, longitude: -0.2 } },
      }),
    );
    expect(patched.data).toMatchObject({
      locationType: "Residential",
      meterPointIds: [mpan],
      coordinates: { latitude: 51.6 },
    });

    await step(
      "PostLocationBoundResource",
      "post",
      "/users/{userId}/locations/{locationId}/resources",
      client.POST("/users/{userId}/locations/{locationId}/resources", {
        ...loc,
        body: { resourceId: "walk-battery", resourceType: "Generic", meterPointId: mpan },
      }),
    );
    await step(
      "GetLocationBoundResources",
      "get",
      "/users/{userId}/locations/{locationId}/resources",
      client.GET("/users/{userId}/locations/{locationId}/resources", loc),
    );
    await step(
      "PostVehicle",
      "post",
      "/users/{userId}/vehicles",
      client.POST("/users/{userId}/vehicles", {
        ...u("walk-user-1"),
        body: { resourceId: "walk-car", resourceType: "Vehicle" },
      }),
    );
    const resources = await step(
      "GetResourcesForUser",
      "get",
      "/users/{userId}/resources",
      client.GET("/users/{userId}/resources", u("walk-user-1")),
    );
    expect(resources.data?.resources.map((r) => r.resourceId).sort()).toEqual(["walk-battery", "walk-car"]);
    await step(
      "GetResourceById",
      "get",
      "/resources/{resourceId}",
      client.GET("/resources/{resourceId}", { params: { path: { resourceId: "walk-battery" } } }),
    );

    const eligibility = await step(
      "GetUserEligibilityByUserId",
      "get",
      "/users/{userId}/eligibility",
      client.GET("/users/{userId}/eligibility", u("walk-user-1")),
    );
    expect(eligibility.data?.isEligible).toBe(true);
    await step("GetEligibleUsers", "get", "/users/eligible", client.GET("/users/eligible", {}));
    await step(
      "GetMpidEligibility",
      "get",
      "/meters/{mpid}/eligible",
      client.GET("/meters/{mpid}/eligible", { params: { path: { mpid: mpan } } }),
    );
    await step(
      "PostUserEnrollment",
      "post",
      "/users/{userId}/enrollment",
      client.POST("/users/{userId}/enrollment", u("walk-user-1")),
    );
    const enrolment = await step(
      "GetUserEnrollmentByUserId",
      "get",
      "/users/{userId}/enrollment",
      client.GET("/users/{userId}/enrollment", u("walk-user-1")),
    );
    expect(enrolment.data?.isEnrolled).toBe(true);
    await step(
      "FetchUserCompensation",
      "get",
      "/users/{userId}/compensation",
      client.GET("/users/{userId}/compensation", u("walk-user-1")),
    );

    const created = await step(
      "PostWebhook",
      "post",
      "/webhooks",
      client.POST("/webhooks", {
        body: {
          name: "walk",
          webhookUrl: "http://127.0.0.1:9/notify",
          webhookSecret: "walk-secret-123",
          notificationTypes: ["PriceCurveCreated"],
        },
      }),
    );
    const hook = {
      params: { path: { webhookId: (created.data as { webhookId?: string } | undefined)?.webhookId ?? "" } },
    };
    await step("GetWebhooks", "get", "/webhooks", client.GET("/webhooks"));
    await step("GetWebhookById", "get", "/webhooks/{webhookId}", client.GET("/webhooks/{webhookId}", hook));
    await step(
      "UpdateWebhookById",
      "put",
      "/webhooks/{webhookId}",
      client.PUT("/webhooks/{webhookId}", {
        ...hook,
        body: {
          webhookUrl: "http://127.0.0.1:9/notify",
          notificationTypes: ["PriceCurveCreated", "LocationLPCRequested"],
          enabled: true,
          name: "walk",
        },
      }),
    );
    await step(
      "PatchWebhookById",
      "patch",
      "/webhooks/{webhookId}",
      client.PATCH("/webhooks/{webhookId}", { ...hook, body: { name: "walk renamed" } }),
    );
    await step(
      "UpdateWebhookEnabledById",
      "put",
      "/webhooks/{webhookId}/enabled",
      client.PUT("/webhooks/{webhookId}/enabled", { params: { ...hook.params, query: { enabled: true } } }),
    );

    await step("PostTenantDataSimulation", "post", "/simulation/partner", client.POST("/simulation/partner"));
    const simulated = await step(
      "PostPriceCurveSimulation",
      "post",
      "/simulation/events/pricecurve",
      client.POST("/simulation/events/pricecurve", { body: {} }),
    );
    await step(
      "PostUserEligibilitySimulation",
      "post",
      "/simulation/events/usereligibility",
      client.POST("/simulation/events/usereligibility"),
    );
    await step(
      "PostLPCLocationSimulation",
      "post",
      "/simulation/events/lpc/locations",
      client.POST("/simulation/events/lpc/locations", {
        body: {
          locations: [
            {
              location: { locationId: "walk-home", meterPointId: mpan },
              points: [{ maxPowerInKiloWatts: 2, timestamp: "2026-12-03T18:00:00Z" }],
            },
          ],
        },
      }),
    );
    await step(
      "PostLPCResourceSimulation",
      "post",
      "/simulation/events/lpc/resources",
      client.POST("/simulation/events/lpc/resources", { body: {} }),
    );
    await step(
      "GetAllEvents",
      "get",
      "/events",
      client.GET("/events", { params: { query: { page: 1, pageSize: 50 } } }),
    );
    await step(
      "GetEventById",
      "get",
      "/events/{eventId}",
      client.GET("/events/{eventId}", {
        params: { path: { eventId: simulated.data?.simulatedEvent?.id ?? "" } },
      }),
    );

    await deliverPendingWebhooks({ orgId, limit: 100 });
    const logs = await step(
      "GetWebhookNotificationLogs",
      "get",
      "/webhooks/logs",
      client.GET("/webhooks/logs", {
        params: { query: { webhookId: (created.data as { webhookId?: string } | undefined)?.webhookId } },
      }),
    );
    expect(logs.data?.webhookNotificationLogs?.length).toBeGreaterThan(0);
    const notificationId = logs.data?.webhookNotificationLogs?.[0]?.notificationId ?? "";
    await step(
      "GetWebhookNotificationLogById",
      "get",
      "/webhooks/logs/{notificationId}",
      client.GET("/webhooks/logs/{notificationId}", { params: { path: { notificationId } } }),
    );

    const plan = {
      payloadType: "LocationEnergyUsagePlan" as const,
      locationId: "walk-home",
      meterPointId: mpan,
      resolution: "00:30:00",
      baseline: [{ timestamp: "2026-12-03T18:00:00Z", kiloWattHours: 1 }],
      flexibility: [{ timestamp: "2026-12-03T18:00:00Z", kiloWattHours: 0.5 }],
    };
    await step(
      "PostReport",
      "post",
      "/reports",
      client.POST("/reports", { body: { payloads: [plan as never] } }),
    );

    await step(
      "DeleteUserEnrollment",
      "delete",
      "/users/{userId}/enrollment",
      client.DELETE("/users/{userId}/enrollment", u("walk-user-1")),
    );
    await step(
      "DeleteTenantDataSimulation",
      "delete",
      "/simulation/partner",
      client.DELETE("/simulation/partner"),
    );
    await step(
      "DeleteResourceById",
      "delete",
      "/resources/{resourceId}",
      client.DELETE("/resources/{resourceId}", { params: { path: { resourceId: "walk-car" } } }),
    );
    await step(
      "DeleteLocation",
      "delete",
      "/users/{userId}/locations/{locationId}",
      client.DELETE("/users/{userId}/locations/{locationId}", {
        params: { path: { userId: "walk-user-2", locationId: "walk-flat" } },
      }),
    );
    await step(
      "DeleteWebhookById",
      "delete",
      "/webhooks/{webhookId}",
      client.DELETE("/webhooks/{webhookId}", hook),
    );
    await step(
      "DeleteUserById",
      "delete",
      "/users/{userId}",
      client.DELETE("/users/{userId}", u("walk-user-1")),
    );
    expect((await client.GET("/users/{userId}", u("walk-user-1"))).response.status).toBe(404);

    expect(problems).toEqual([]);
    expect(server.contractViolations).toEqual([]);
    const published = publishedOperations().map((operation) => operation.operationId);
    expect(published).toHaveLength(43);
    expect(published.filter((operationId) => !called.has(operationId))).toEqual([]);
  });
});
