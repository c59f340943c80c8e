// The dialects that publish their own error shape (restHandler's errorShape): energy coordination
// answers RFC 9457 problems naming each field, the meter lookups one sentence. Every answer here is
// also checked against the published document by `call`.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { ALL_SCOPES, call, tokenFor } from "./test-support";

let token: string;
beforeAll(async () => {
  token = await tokenFor(await createTestOrg("rest-error-shapes"), ALL_SCOPES);
});

describe("energy-coordination errors", () => {
  it("answers a field the schema refuses as a 400 problem naming the field by its path", async () => {
    const response = await call("POST", "/users/batch", { token, body: { users: [{ userId: "ok-user" }, { userId: 42 }] } });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.body).toMatchObject({ status: 400, title: "The request is not valid", errors: { "users[1].userId": [expect.any(String)] } });
    expect((response.body as { detail: string }).detail).toMatch(/^users\[1\]\.userId: /);
  });

  it("names the body, not a character position, when the JSON does not parse", async () => {
    const response = await call("POST", "/users", { token, rawBody: '{"userId": ', headers: { "content-type": "application/json" } });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ errors: { body: ["Request body is not valid JSON"] } });
    expect(Object.keys((response.body as { errors: object }).errors)).toEqual(["body"]);
  });

  it("shapes a handler's own refusal and a service's not-found as problems too", async () => {
    const location = randomUUID();
    const moved = await call("PUT", `/users/someone/locations/${location}`, { token, body: { locationId: "another-id" } });
    expect(moved.status).toBe(400);
    expect(moved.body).toMatchObject({ errors: { locationId: [expect.stringContaining("id in the path")] } });

    const missing = await call("GET", `/users/nobody-${randomUUID().slice(0, 8)}`, { token });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toBe("application/problem+json");
    expect(missing.body).toMatchObject({ status: 404, title: "Not found", detail: expect.any(String) });
    expect(missing.body).not.toHaveProperty("errors");
  });

  it("refuses an oversized reference in a report or a simulation naming the field, without echoing it", async () => {
    const huge = "x".repeat(300_000);
    const report = await call("POST", "/reports", { token, body: { payloads: [{ payloadType: "LocationEnergyUsage", locationId: huge, meterPointId: "m-1", resolution: "00:30:00" }] } });
    expect(report.status).toBe(400);
    expect(report.body).toMatchObject({ errors: { "payloads[0].locationId": [expect.stringContaining("at most 255")] } });
    expect(report.text.length).toBeLessThan(2000);

    const simulation = await call("POST", "/simulation/events/pricecurve", { token, body: { priceArea: huge } });
    expect(simulation.status).toBe(400);
    expect(simulation.body).toMatchObject({ errors: { priceArea: [expect.any(String)] } });
    expect(simulation.text.length).toBeLessThan(2000);
  });

  it("keeps the shape every dialect shares for a missing token", async () => {
    const response = await call("GET", "/users", {});
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(response.body).toEqual({ detail: "Not authenticated: send a bearer token." });
  });
});

describe("meter lookup errors", () => {
  it("explains a refused lookup in one sentence naming the field, in the body and in the query", async () => {
    const byMpan = await call("POST", "/meter/by-mpan", { token, body: { mpan: "" } });
    expect(byMpan.status).toBe(422);
    expect(byMpan.body).toEqual({ detail: expect.stringMatching(/^mpan: /) });

    const search = await call("GET", "/meter/search", { token });
    expect(search.status).toBe(422);
    expect(search.body).toEqual({ detail: "postcode: Field required" });
  });
});
