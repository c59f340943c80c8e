import { randomBytes, randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { oemCredentials, rewardBankAccounts, webhookEndpoints } from "@/db/schema";
import { ConfigError, getConfig, parseConfig } from "@/server/config";
import { startSimulator, type SimulatorHandle } from "@/simulator/index";
import { createTestOrg } from "@/test/fixtures";
import { accessTokenOf, randomMpan, simulatorGateway } from "../batteries/test-support";
import { createSite } from "../inventory/sites";
import { addWebhookEndpoint } from "../webhooks/partner-webhooks";
import { openWebhookSecret, sealWebhookSecret } from "../webhooks/webhook-secrets";
import { bankAccountSealContext } from "../rewards/bank-accounts";
import { buildKeyring, openSecret, parsePreviousEncryptionKeys, sealSecret } from "./credential-crypto";
import { openOemCredentialForSite, resealSecrets, submitOemCredential } from "./credentials";

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 31 });
});
afterAll(async () => {
  await sim.stop();
});

const retiredKey = () => ({ keyId: `old-${randomUUID().slice(0, 8)}`, key: randomBytes(32) });

describe("encryption key rotation", () => {
  it("reads CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS as keyId:base64 pairs and refuses malformed values", () => {
    const base = { NODE_ENV: "test" as const, ENCRYPTION_KEY: randomBytes(32).toString("base64"), ENCRYPTION_KEY_ID: "k2", NEXTAUTH_SECRET: "x".repeat(40) };
    const old = randomBytes(32).toString("base64");
    const older = randomBytes(32).toString("base64");
    const config = parseConfig({ ...base, CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS: `k1:${old}, k0:${older}` });
    expect(config.previousEncryptionKeys.map((k) => [k.keyId, k.key.toString("base64")])).toEqual([
      ["k1", old],
      ["k0", older],
    ]);
    expect(parseConfig(base).previousEncryptionKeys).toEqual([]);
    expect(() => parseConfig({ ...base, CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS: "k1:not-base64" })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS: `k1:${old}` })).not.toThrow();
    // The error names the variable, never the key material.
    const error = (() => {
      try {
        parseConfig({ ...base, CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS: `k1${old}` });
      } catch (e) {
        return String(e);
      }
      return "";
    })();
    expect(error).toContain("CREDENTIAL_ENCRYPTION_PREVIOUS_KEYS");
    expect(error).not.toContain(old);
    expect(parsePreviousEncryptionKeys("")).toEqual([]);
  });

  it("opens a credential sealed under a retired key, and re-seals it under the current key", async () => {
    const org = await createTestOrg("key-rotation");
    const gateway = simulatorGateway(sim);
    const current = getConfig().encryption;
    const retired = retiredKey();
    const device = sim.createDevice({ oem: "foxess" });
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    await submitOemCredential(org.admin, { siteId: site.id, oem: "foxess", tokenType: "API_KEY", accessToken: accessTokenOf(device) }, { gateway, currentKey: retired });
    const [before] = await getDb().select().from(oemCredentials).where(eq(oemCredentials.siteId, site.id));
    expect(before?.keyId).toBe(retired.keyId);

    const ring = buildKeyring(current, [retired]);
    await expect(openOemCredentialForSite(org.admin, site.id, { keyring: [current] })).rejects.toThrow(`No encryption key with id ${retired.keyId}`);
    expect((await openOemCredentialForSite(org.admin, site.id, { keyring: ring }))?.credential).toMatchObject({ oem: "foxess", apiKey: accessTokenOf(device) });

    // A legacy plain webhook secret and one sealed under the retired key are re-sealed too.
    const sealedEndpoint = await addWebhookEndpoint(org.admin, { url: "https://partner.example/a", secret: "whsec-retired" });
    await getDb().update(webhookEndpoints).set({ secret: sealWebhookSecret(sealedEndpoint.id, "whsec-retired", retired) }).where(eq(webhookEndpoints.id, sealedEndpoint.id));
    const plainEndpoint = await addWebhookEndpoint(org.admin, { url: "https://partner.example/b", secret: "whsec-plain" });
    await getDb().update(webhookEndpoints).set({ secret: "whsec-plain" }).where(eq(webhookEndpoints.id, plainEndpoint.id));
    expect(openWebhookSecret(plainEndpoint.id, "whsec-plain")).toBe("whsec-plain");

    // And a householder's bank account sealed under the retired key.
    const accountId = randomUUID();
    const details = { accountHolderName: "A Householder", sortCode: "112233", accountNumber: "12345678" };
    const sealedAccount = sealSecret(JSON.stringify(details), retired, bankAccountSealContext(accountId));
    await getDb().insert(rewardBankAccounts).values({ id: accountId, organisationId: org.orgId, siteId: site.id, keyId: sealedAccount.keyId, sealedDetails: sealedAccount.ciphertext, sortCodeDisplay: "11-22-33", accountNumberLast4: "5678", createdBy: "test" });

    const result = await resealSecrets({ currentKey: current, keyring: ring });
    expect(result.resealed).toBeGreaterThanOrEqual(4);
    const [account] = await getDb().select().from(rewardBankAccounts).where(eq(rewardBankAccounts.id, accountId));
    expect(account?.keyId).toBe(current.keyId);
    expect(JSON.parse(openSecret({ keyId: account?.keyId ?? "", ciphertext: account?.sealedDetails ?? "" }, [current], bankAccountSealContext(accountId)))).toEqual(details);
    expect(result.unopenable.filter((u) => u.keyId === retired.keyId)).toEqual([]);

    const [after] = await getDb().select().from(oemCredentials).where(eq(oemCredentials.siteId, site.id));
    expect(after?.keyId).toBe(current.keyId);
    expect(after?.ciphertext).not.toBe(before?.ciphertext);
    expect((await openOemCredentialForSite(org.admin, site.id, { keyring: [current] }))?.credential).toMatchObject({ apiKey: accessTokenOf(device) });
    const endpoints = await getDb().select().from(webhookEndpoints).where(eq(webhookEndpoints.organisationId, org.orgId));
    const secretOf = (id: string) => endpoints.find((e) => e.id === id)?.secret ?? "";
    expect(secretOf(plainEndpoint.id)).not.toContain("whsec-plain");
    expect(openWebhookSecret(sealedEndpoint.id, secretOf(sealedEndpoint.id), [current])).toBe("whsec-retired");
    expect(openWebhookSecret(plainEndpoint.id, secretOf(plainEndpoint.id), [current])).toBe("whsec-plain");

    // Nothing left under the retired key: a second run changes none of this organisation's rows.
    const again = await resealSecrets({ currentKey: current, keyring: ring });
    expect(again.unopenable.filter((u) => u.keyId === retired.keyId)).toEqual([]);
    const [unchanged] = await getDb().select().from(oemCredentials).where(eq(oemCredentials.siteId, site.id));
    expect(unchanged?.ciphertext).toBe(after?.ciphertext);
  });

  it("reports, without failing, a secret that no configured key opens", async () => {
    const org = await createTestOrg("key-rotation-lost");
    const gateway = simulatorGateway(sim);
    const lost = retiredKey();
    const device = sim.createDevice({ oem: "givenergy" });
    const site = await createSite(org.admin, { mpan: randomMpan(), postcode: "SW1A 1AA" });
    await submitOemCredential(org.admin, { siteId: site.id, oem: "givenergy", tokenType: "API_KEY", accessToken: accessTokenOf(device) }, { gateway, currentKey: lost });
    const result = await resealSecrets();
    expect(result.unopenable).toContainEqual({ table: "oem_credentials", id: expect.any(String), keyId: lost.keyId });
    expect(JSON.stringify(result)).not.toContain(accessTokenOf(device));
    // Clean up so later runs of the job in this database are not noisy.
    await getDb().delete(oemCredentials).where(eq(oemCredentials.siteId, site.id));
  });
});
