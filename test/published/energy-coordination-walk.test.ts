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
    client.use({
      onResponse({ request, response, schemaPath }) {
        answeredFor.set(response, { method: request.method.toLowerCase(), template: schemaPath });
      },
    });
  });
  afterAll(async () => server?.stop());

  /** The operation each answer was for: read from the request the client sent, not restated by the walk. */
  const operations = new Map(publishedOperations().map((o) => [`${o.method} ${o.path}`, o.operationId]));
  const answeredFor = new WeakMap<Response, { method: string; template: string }>();

  /** Records the operation and checks its answer against the published document. */
  async function step<T extends { response: Response; data?: unknown; error?: unknown }>(
    call: Promise<T>,
  ): Promise<T> {
    const result = await call;
    const { method, template } = answeredFor.get(result.response) ?? { method: "?", template: "?" };
    const operationId = operations.get(`${method} ${template}`) ?? `${method} ${template} (not published)`;
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
    await step(client.POST("/users", { body: { userId: "walk-user-1" } }));
    await step(
      client.POST("/users/batch", {
        body: { users: [{ userId: "walk-user-2" }, { userId: "walk-user-3" }] },
      }),
    );
    const users = await step(client.GET("/users", { params: { query: { page: 1, pageSize: 2 } } }));
    expect(users.data?.pagination).toMatchObject({ totalRecords: 3, totalPages: 2, nextPage: 2 });
    await step(client.GET("/users/{userId}", u("walk-user-1")));

    const loc = { params: { path: { userId: "walk-user-1", locationId: "walk-home" } } };
    await step(
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
      client.POST("/users/locations/batch", {
        body: { locations: [{ userId: "walk-user-2", locationId: "walk-flat" }] },
      }),
    );
    await step(client.GET("/users/{userId}/locations", u("walk-user-1")));
    await step(client.GET("/users/{userId}/locations/{locationId}", loc));
    await step(
      client.PUT("/users/{userId}/locations/{locationId}", {
        ...loc,
        body: { locationId: "walk-home", locationType: "Residential", meterPointIds: [mpan] },
      }),
    );
    const patched = await step(
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
      client.POST("/users/{userId}/locations/{locationId}/resources", {
        ...loc,
        body: { resourceId: "walk-battery", resourceType: "Generic", meterPointId: mpan },
      }),
    );
    await step(client.GET("/users/{userId}/locations/{locationId}/resources", loc));
    await step(
      client.POST("/users/{userId}/vehicles", {
        ...u("walk-user-1"),
        body: { resourceId: "walk-car", resourceType: "Vehicle" },
      }),
    );
    const resources = await step(client.GET("/users/{userId}/resources", u("walk-user-1")));
    expect(resources.data?.resources.map((r) => r.resourceId).sort()).toEqual(["walk-battery", "walk-car"]);
    await step(client.GET("/resources/{resourceId}", { params: { path: { resourceId: "walk-battery" } } }));

    const eligibility = await step(client.GET("/users/{userId}/eligibility", u("walk-user-1")));
    expect(eligibility.data?.isEligible).toBe(true);
    await step(client.GET("/users/eligible", {}));
    await step(client.GET("/meters/{mpid}/eligible", { params: { path: { mpid: mpan } } }));
    await step(client.POST("/users/{userId}/enrollment", u("walk-user-1")));
    const enrolment = await step(client.GET("/users/{userId}/enrollment", u("walk-user-1")));
    expect(enrolment.data?.isEnrolled).toBe(true);
    await step(client.GET("/users/{userId}/compensation", u("walk-user-1")));

    const created = await step(
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
    await step(client.GET("/webhooks"));
    await step(client.GET("/webhooks/{webhookId}", hook));
    await step(
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
    await step(client.PATCH("/webhooks/{webhookId}", { ...hook, body: { name: "walk renamed" } }));
    await step(
      client.PUT("/webhooks/{webhookId}/enabled", { params: { ...hook.params, query: { enabled: true } } }),
    );

    await step(client.POST("/simulation/partner"));
    const simulated = await step(client.POST("/simulation/events/pricecurve", { body: {} }));
    await step(client.POST("/simulation/events/usereligibility"));
    await step(
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
    await step(client.POST("/simulation/events/lpc/resources", { body: {} }));
    await step(client.GET("/events", { params: { query: { page: 1, pageSize: 50 } } }));
    await step(
      client.GET("/events/{eventId}", {
        params: { path: { eventId: simulated.data?.simulatedEvent?.id ?? "" } },
      }),
    );

    await deliverPendingWebhooks({ orgId, limit: 100 });
    const logs = await step(
      client.GET("/webhooks/logs", {
        params: { query: { webhookId: (created.data as { webhookId?: string } | undefined)?.webhookId } },
      }),
    );
    expect(logs.data?.webhookNotificationLogs?.length).toBeGreaterThan(0);
    const notificationId = logs.data?.webhookNotificationLogs?.[0]?.notificationId ?? "";
    await step(client.GET("/webhooks/logs/{notificationId}", { params: { path: { notificationId } } }));

    const plan = {
      payloadType: "LocationEnergyUsagePlan" as const,
      locationId: "walk-home",
      meterPointId: mpan,
      resolution: "00:30:00",
      baseline: [{ timestamp: "2026-12-03T18:00:00Z", kiloWattHours: 1 }],
      flexibility: [{ timestamp: "2026-12-03T18:00:00Z", kiloWattHours: 0.5 }],
    };
    await step(client.POST("/reports", { body: { payloads: [plan as never] } }));

    await step(client.DELETE("/users/{userId}/enrollment", u("walk-user-1")));
    await step(client.DELETE("/simulation/partner"));
    await step(client.DELETE("/resources/{resourceId}", { params: { path: { resourceId: "walk-car" } } }));
    await step(
      client.DELETE("/users/{userId}/locations/{locationId}", {
        params: { path: { userId: "walk-user-2", locationId: "walk-flat" } },
      }),
    );
    await step(client.DELETE("/webhooks/{webhookId}", hook));
    await step(client.DELETE("/users/{userId}", u("walk-user-1")));
    expect((await client.GET("/users/{userId}", u("walk-user-1"))).response.status).toBe(404);

    expect(problems).toEqual([]);
    expect(server.contractViolations).toEqual([]);
    const published = publishedOperations().map((operation) => operation.operationId);
    expect(published).toHaveLength(43);
    expect(published.filter((operationId) => !called.has(operationId))).toEqual([]);
  });
});
