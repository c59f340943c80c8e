import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { auditEvents, oemCredentials } from "@/db/schema";
import { getLogger, log, setLoggerForProcess } from "@/server/log";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg } from "@/test/fixtures";
import { accessTokenOf, createSimulatedBattery, randomMpan, simulatorGateway } from "../batteries/test-support";
import { createApiClient } from "../api-clients/api-clients";
import { initialiseSite } from "../inventory/initialise";
import { createSite } from "../inventory/sites";
import { openSecret, sealSecret } from "./credential-crypto";
import { getOemCredentialSummary, openOemCredentialForSite, submitOemCredential, credentialStatus } from "./credentials";

let sim: SimulatorHandle;
const captured: string[] = [];
const original = getLogger();

beforeAll(async () => {
  sim = await startSimulator({ port: 0, modeChangeDelayMs: 100, seed: 11 });
  setLoggerForProcess(pino({ level: "trace" }, new Writable({ write: (chunk: Buffer, _enc, done) => (captured.push(chunk.toString()), done()) })));
});
afterAll(async () => {
  setLoggerForProcess(original);
  await sim.stop();
});

describe("credential sealing", () => {
  it("opens with the key id it was sealed under, and refuses another row or a missing key", () => {
    const k1 = { keyId: "k1", key: Buffer.alloc(32, 1) };
    const k2 = { keyId: "k2", key: Buffer.alloc(32, 2) };
    const sealed = sealSecret("top-secret-value", k1, "site-a");
    expect(sealed.ciphertext).not.toContain("top-secret");
    expect(openSecret(sealed, [k2, k1], "site-a")).toBe("top-secret-value");
    expect(() => openSecret(sealed, [k1], "site-b")).toThrow(/does not open/);
    expect(() => openSecret(sealed, [k2], "site-a")).toThrow(/No encryption key with id k1/);
  });

  it("derives valid, expiring, expired and rejected", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    expect(credentialStatus({ status: "valid", expiresAt: null }, now, 7)).toBe("valid");
    expect(credentialStatus({ status: "valid", expiresAt: new Date("2026-01-03T00:00:00Z") }, now, 7)).toBe("expiring");
    expect(credentialStatus({ status: "valid", expiresAt: new Date("2025-12-31T00:00:00Z") }, now, 7)).toBe("expired");
    expect(credentialStatus({ status: "rejected", expiresAt: null }, now, 7)).toBe("rejected");
  });
});

describe("submitting OEM credentials", () => {
  it("stores ciphertext only, verified with the OEM, and the plaintext is in no response, log or audit row", async () => {
    const org = await createTestOrg("creds");
    const gateway = simulatorGateway(sim);
    for (const oem of ["foxess", "givenergy", "solis", "sigenergy"] as const) {
      const { siteId, device } = await createSimulatedBattery(org.admin, sim, gateway, { oem, consent: false });
      const token = accessTokenOf(device);
      const summary = await getOemCredentialSummary(org.admin, siteId);
      expect(summary).toMatchObject({ oem, tokenType: "API_KEY", lastFour: token.slice(-4), status: "valid" });
      expect(JSON.stringify(summary)).not.toContain(token.slice(0, -4));
      const [row] = await getDb().select().from(oemCredentials).where(eq(oemCredentials.siteId, siteId));
      expect(row?.ciphertext).toBeTruthy();
      expect(row?.keyId).toBe("k1");
      expect(JSON.stringify(row)).not.toContain(token);
      const opened = await openOemCredentialForSite(org.admin, siteId);
      expect(opened?.credential.oem).toBe(oem);
      const audits = await getDb().select().from(auditEvents).where(eq(auditEvents.organisationId, org.orgId));
      expect(JSON.stringify(audits)).not.toContain(token);
      log.info({ siteId }, "credential stored");
      expect(captured.join("\n")).not.toContain(token);
    }
  });

  it("answers a clear validation error when the OEM rejects the credential, without echoing it", async () => {
    const org = await createTestOrg("creds-reject");
    const gateway = simulatorGateway(sim);
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const device = sim.createDevice({ oem: "givenergy" });
    sim.revokeCredential(device.deviceId);
    const token = accessTokenOf(device);
    const error = await submitOemCredential(org.admin, { siteId: site.id, oem: "givenergy", tokenType: "API_KEY", accessToken: token }, { gateway }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/givenergy rejected the credential/i) });
    expect(JSON.stringify(error)).not.toContain(token);
    expect(String(error)).not.toContain(token);
    expect(await getOemCredentialSummary(org.admin, site.id)).toBeNull();
    expect(captured.join("\n")).not.toContain(token);
  });

  it("is invisible to another organisation and refused to viewers", async () => {
    const org = await createTestOrg("creds-a");
    const other = await createTestOrg("creds-b");
    const gateway = simulatorGateway(sim);
    const { siteId, device } = await createSimulatedBattery(org.admin, sim, gateway, { consent: false });
    expect(await getOemCredentialSummary(other.admin, siteId)).toBeNull();
    await expect(submitOemCredential(other.admin, { siteId, oem: "givenergy", tokenType: "API_KEY", accessToken: accessTokenOf(device) }, { gateway })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const viewer = await org.addOperator("viewer");
    await expect(submitOemCredential(viewer.ctx, { siteId, oem: "givenergy", tokenType: "API_KEY", accessToken: accessTokenOf(device) }, { gateway })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("finding the OEM cloud of a token sent without one", () => {
  /** A gateway that records which clouds were asked, around the simulator's. */
  function countingGateway() {
    const inner = simulatorGateway(sim);
    const asked: string[] = [];
    const gateway: typeof inner = {
      ...inner,
      verifyCredential: async (credential) => {
        asked.push(credential.oem);
        return inner.verifyCredential(credential);
      },
    };
    return { gateway, asked };
  }

  it("takes the cloud from the battery's model in the catalogue, asking no other", async () => {
    const org = await createTestOrg("creds-model");
    const site = await initialiseSite(org.admin, {
      site: { mpan: randomMpan(), postcode: "SW1A 1AA" },
      assets: [{ externalId: "solis-battery", type: "battery", properties: { power_kw: 5 }, assetModel: "solis_s6_eh1p" }],
    });
    const device = sim.createDevice({ oem: "solis" });
    const { gateway, asked } = countingGateway();
    const saved = await submitOemCredential(org.admin, { siteId: site.site.siteId, tokenType: "API_KEY", accessToken: accessTokenOf(device) }, { gateway });
    expect(saved.oem).toBe("solis");
    expect(asked).toEqual(["solis"]);
  });

  it("takes the cloud configured on the submitting API client", async () => {
    const org = await createTestOrg("creds-client-oem");
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const client = await createApiClient(org.admin, { name: "a GivEnergy integration", scopes: ["entities:write"], oem: "givenergy" });
    const asClient = { ...org.admin, actor: { type: "api_client" as const, clientId: client.clientId, label: client.name, scopes: ["entities:write"] } };
    const device = sim.createDevice({ oem: "givenergy" });
    const { gateway, asked } = countingGateway();
    const saved = await submitOemCredential(asClient, { siteId: site.id, tokenType: "API_KEY", accessToken: accessTokenOf(device) }, { gateway });
    expect(saved.oem).toBe("givenergy");
    expect(asked).toEqual(["givenergy"]);
  });

  it("otherwise asks each supported cloud and names access_token when none accepts it", async () => {
    const org = await createTestOrg("creds-ask");
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    const device = sim.createDevice({ oem: "sigenergy" });
    const { gateway, asked } = countingGateway();
    expect((await submitOemCredential(org.admin, { siteId: site.id, tokenType: "API_KEY", accessToken: accessTokenOf(device) }, { gateway })).oem).toBe("sigenergy");
    expect(asked).toContain("sigenergy");
    const refused = await submitOemCredential(org.admin, { siteId: site.id, tokenType: "API_KEY", accessToken: "not-a-key-anyone-issued" }, { gateway }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "VALIDATION", issues: [expect.objectContaining({ path: ["access_token"] })] });
  });
});
