import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getLogger, setLoggerForProcess } from "@/server/log";
import { createOperationModeAction } from "@/server/services/actions/actions";
import { accessTokenOf, createSimulatedBattery, simulatorGateway } from "@/server/services/batteries/test-support";
import { setOemGatewayForProcess } from "@/server/services/credentials/oem-gateway";
import { createSite } from "@/server/services/inventory/sites";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg } from "@/test/fixtures";
import { call, randomMpan, tokenFor } from "./test-support";

let sim: SimulatorHandle;
const captured: string[] = [];
const original = getLogger();
beforeAll(async () => {
  sim = await startSimulator({ port: 0, modeChangeDelayMs: 100, seed: 31 });
  setOemGatewayForProcess(simulatorGateway(sim));
  setLoggerForProcess(pino({ level: "trace" }, new Writable({ write: (chunk: Buffer, _enc, done) => (captured.push(chunk.toString()), done()) })));
});
afterAll(async () => {
  setLoggerForProcess(original);
  setOemGatewayForProcess(undefined);
  await sim.stop();
});

describe("POST /entities/site/{site_id}/token", () => {
  it("checks the credential with the OEM, stores it and answers without the token; a refused one is a 422", async () => {
    const org = await createTestOrg("rest-token");
    const token = await tokenFor(org, ["entities:read", "entities:write"]);
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const device = sim.createDevice({ oem: "solis" });
    const secret = accessTokenOf(device);
    const ok = await call("POST", `/entities/site/${site.id}/token`, { token, body: { oem: "solis", access_token: secret, token_type: "API_KEY", expires_in: 86_400 * 30 } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ site_id: site.id, oem: "solis", token_type: "API_KEY", last_four: secret.slice(-4), status: "valid" });
    expect(ok.text).not.toContain(secret);

    const revoked = sim.createDevice({ oem: "foxess" });
    sim.revokeCredential(revoked.deviceId);
    const refused = await call("POST", `/entities/site/${site.id}/token`, { token, body: { oem: "foxess", access_token: accessTokenOf(revoked), token_type: "API_KEY" } });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/foxess rejected the credential/i);
    expect(refused.text).not.toContain(accessTokenOf(revoked));
    expect(captured.join("")).not.toContain(secret);
    expect(captured.join("")).not.toContain(accessTokenOf(revoked));
  });
});

describe("battery-control routes", () => {
  it("list and get batteries, refuse a mode change without consent, and show and cancel actions", async () => {
    const org = await createTestOrg("rest-batteries");
    const other = await createTestOrg("rest-batteries-other");
    const token = await tokenFor(org, ["entities:read", "entities:write"]);
    const otherToken = await tokenFor(other, ["entities:read", "entities:write"]);
    const gateway = simulatorGateway(sim);
    const unconsented = await createSimulatedBattery(org.admin, sim, gateway, { consent: false });
    const consented = await createSimulatedBattery(org.admin, sim, gateway, { oem: "sigenergy" });

    const list = await call("GET", "/batteries", { token });
    expect(list.status).toBe(200);
    expect((list.body as { data: unknown[] }).data).toHaveLength(2);
    const one = await call("GET", `/batteries/${consented.assetId}`, { token });
    expect(one.body).toMatchObject({ id: consented.assetId, userId: consented.siteId, vendor: "SIGENERGY", isReachable: false });
    expect((await call("GET", `/batteries/${consented.assetId}`, { token: otherToken })).status).toBe(404);

    const refused = await call("POST", `/batteries/${unconsented.assetId}/operation-mode`, { token, body: { operationMode: "EXPORT_FOCUS" } });
    expect(refused.status).toBe(422);
    expect(refused.text).toMatch(/dispatch consent/);
    expect((await call("POST", `/batteries/${consented.assetId}/operation-mode`, { token, body: { operationMode: "TURBO" } })).status).toBe(422);

    const action = await createOperationModeAction(org.admin, { assetId: consented.assetId, operationMode: "IMPORT_FOCUS" }, { gateway, scheduleDrive: async () => {} });
    const shown = await call("GET", `/batteries/actions/${action.id}`, { token });
    expect(shown.body).toMatchObject({ id: action.id, state: "PENDING", targetId: consented.assetId, targetType: "battery", targetState: { operationMode: "IMPORT_FOCUS" } });
    expect((await call("GET", `/batteries/actions/${action.id}`, { token: otherToken })).status).toBe(404);
    const cancelled = await call("POST", `/batteries/${consented.assetId}/actions/${action.id}/cancel`, { token });
    expect(cancelled.body).toMatchObject({ state: "CANCELLED" });
    expect((await call("POST", `/batteries/${consented.assetId}/actions/${action.id}/cancel`, { token })).status).toBe(409);
  });
});
