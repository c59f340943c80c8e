import { beforeAll, describe, expect, it } from "vitest";
import { createTestOrg } from "@/test/fixtures";
import { ALL_SCOPES, call, tokenFor } from "./test-support";

describe("energy-coordination dialect", () => {
  let token: string;
  let foreignToken: string;
  beforeAll(async () => {
    token = await tokenFor(await createTestOrg("rest-users"), ALL_SCOPES);
    foreignToken = await tokenFor(await createTestOrg("rest-users-foreign"), ALL_SCOPES);
  });

  it("registers a user and the quickstart's vehicle, meter and resource (seed 003)", async () => {
    const created = await call("POST", "/users", { token, body: { externalUserId: "partner-user-1", name: "Ada", email: "ada@example.com" } });
    expect(created.status).toBe(201);
    const userId = String((created.body as { userId: string }).userId);
    const again = await call("POST", "/users", { token, body: { externalUserId: "partner-user-1" } });
    expect(again.body).toEqual({ userId });
    expect((await call("GET", `/users/${userId}`, { token })).body).toMatchObject({ userId, externalUserId: "partner-user-1", name: "Ada" });

    const vehicle = { vehicleId: "car-1", metadata: { resourceType: "Vehicle", brand: "Tesla", model: "Model 3", year: 2022, vin: "WVWZZZ1KZAW000001" } };
    expect((await call("POST", `/users/${userId}/vehicles`, { token, body: vehicle })).body).toEqual({ vehicleId: "car-1" });
    expect((await call("GET", `/users/${userId}/vehicles`, { token })).body).toEqual([vehicle]);

    const meter = {
      address: { street: "string", city: "string", zipCode: "string" },
      location: { latitude: 63.1, longitude: 10.7 },
      meterPointId: "string",
      meterNumber: "string",
      locationType: "Residential",
    };
    const meterResponse = await call("POST", `/users/${userId}/meters`, { token, body: meter });
    expect(meterResponse.status).toBe(201);
    const meterId = String((meterResponse.body as { meterId: string }).meterId);
    expect((await call("GET", `/users/${userId}/meters`, { token })).body).toEqual([{ meterId, ...meter }]);

    const resource = { resourceId: "tank-1", metadata: { resourceType: "HotWaterTank", brand: "Oso", model: "SuperTank", capacity: 500, heatingElements: [1750, 1250] } };
    expect((await call("POST", `/users/${userId}/resources`, { token, body: resource })).body).toEqual({ resourceId: "tank-1" });
    expect((await call("GET", `/users/${userId}/resources`, { token })).body).toEqual([resource]);
  });

  it("refuses malformed devices with located 422s", async () => {
    const userId = String(((await call("POST", "/users", { token, body: {} })).body as { userId: string }).userId);
    const badVin = await call("POST", `/users/${userId}/vehicles`, { token, body: { vehicleId: "v", metadata: { resourceType: "Vehicle", brand: "X", model: "Y", vin: "short" } } });
    expect(badVin.status).toBe(422);
    expect((badVin.body as { detail: { loc: unknown[] }[] }).detail[0]?.loc).toEqual(["body", "metadata", "vin"]);
    const badTank = await call("POST", `/users/${userId}/resources`, { token, body: { resourceId: "t", metadata: { resourceType: "HotWaterTank" } } });
    expect(badTank.status).toBe(422);
  });

  it("shows another organisation nothing of a user", async () => {
    const userId = String(((await call("POST", "/users", { token, body: { name: "Private" } })).body as { userId: string }).userId);
    expect((await call("GET", `/users/${userId}`, { token: foreignToken })).status).toBe(404);
    expect((await call("GET", `/users/${userId}/vehicles`, { token: foreignToken })).status).toBe(404);
    expect((await call("GET", `/users/${userId}/meters`, { token: foreignToken })).status).toBe(404);
    expect((await call("POST", `/users/${userId}/resources`, { token: foreignToken, body: { resourceId: "r", metadata: { resourceType: "Battery" } } })).status).toBe(404);
    expect((await call("GET", "/users/not-a-uuid", { token })).status).toBe(404);
  });
});
