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
    const created = await call("POST", "/users", { token, body: { userId: "partner-user-1" } });
    expect(created.status).toBe(201);
    const userId = String((created.body as { userId: string }).userId);
    expect(userId).toBe("partner-user-1");
    const again = await call("POST", "/users", { token, body: { userId: "partner-user-1" } });
    expect(again.body).toEqual({ userId });
    expect((await call("GET", `/users/${userId}`, { token })).body).toEqual({ userId });

    expect((await call("POST", `/users/${userId}/vehicles`, { token, body: { resourceId: "car-1", resourceType: "Vehicle" } })).body).toEqual({ resourceId: "car-1", resourceType: "Vehicle", userId, locationId: null, meterPointId: null });

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
    const listed = (await call("GET", `/users/${userId}/resources`, { token })).body as { resources: { resourceId: string; resourceType: string }[] };
    expect(listed.resources.map((r) => [r.resourceId, r.resourceType])).toEqual([["car-1", "Vehicle"], ["tank-1", "HotWaterTank"]]);
  });

  it("refuses malformed devices with located 422s", async () => {
    const userId = String(((await call("POST", "/users", { token, body: { userId: "partner-user-2" } })).body as { userId: string }).userId);
    const badType = await call("POST", `/users/${userId}/vehicles`, { token, body: { resourceId: "v", resourceType: "Spaceship" } });
    expect(badType.status).toBe(400);
    expect(Object.keys((badType.body as { errors: Record<string, string[]> }).errors)).toEqual(["resourceType"]);
    const badTank = await call("POST", `/users/${userId}/resources`, { token, body: { resourceId: "t", metadata: { resourceType: "HotWaterTank" } } });
    expect(badTank.status).toBe(422);
  });

  it("shows another organisation nothing of a user", async () => {
    const userId = String(((await call("POST", "/users", { token, body: { userId: "private-user" } })).body as { userId: string }).userId);
    expect((await call("GET", `/users/${userId}`, { token: foreignToken })).status).toBe(404);
    expect((await call("GET", `/users/${userId}/vehicles`, { token: foreignToken })).status).toBe(404);
    expect((await call("GET", `/users/${userId}/resources`, { token: foreignToken })).status).toBe(404);
    expect((await call("GET", `/users/${userId}/locations`, { token: foreignToken })).status).toBe(404);
    expect((await call("GET", `/users/${userId}/meters`, { token: foreignToken })).status).toBe(404);
    expect((await call("POST", `/users/${userId}/resources`, { token: foreignToken, body: { resourceId: "r", metadata: { resourceType: "Battery" } } })).status).toBe(404);
    expect((await call("GET", "/users/not-a-uuid", { token })).status).toBe(404);
  });
});
