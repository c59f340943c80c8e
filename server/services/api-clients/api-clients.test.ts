import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { apiClients, apiTokens } from "@/db/schema";
import { authenticateBearerToken } from "@/server/auth/api-tokens";
import { createTestOrg } from "@/test/fixtures";
import { createServiceContext } from "../context";
import { createApiClient, hashBearerToken, issueApiToken, listApiClients, resolveApiToken } from "./api-clients";

describe("api clients", () => {
  it("stores only hashes of secrets and tokens", async () => {
    const org = await createTestOrg("keys");
    const client = await createApiClient(org.admin, { name: "partner", scopes: ["entities:read"] });
    const [row] = await getDb().select().from(apiClients).where(eq(apiClients.id, client.id));
    expect(row?.secretHash.startsWith("scrypt$")).toBe(true);
    expect(row?.secretHash).not.toContain(client.clientSecret);
    const token = await issueApiToken({ clientId: client.clientId, clientSecret: client.clientSecret });
    const [stored] = await getDb().select().from(apiTokens).where(eq(apiTokens.apiClientId, client.id));
    expect(stored?.tokenHash).toBe(hashBearerToken(token.accessToken));
    expect(JSON.stringify(await listApiClients(org.admin))).not.toContain("scrypt$");
  });

  it("stops accepting a token once it has expired", async () => {
    const org = await createTestOrg("expiry");
    const client = await createApiClient(org.admin, { name: "partner", scopes: ["entities:read"] });
    const token = await issueApiToken({ clientId: client.clientId, clientSecret: client.clientSecret });
    expect(await resolveApiToken(token.accessToken)).toMatchObject({ orgId: org.orgId, scopes: ["entities:read"] });
    await getDb().update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.tokenHash, hashBearerToken(token.accessToken)));
    expect(await resolveApiToken(token.accessToken)).toBeNull();
    expect(await authenticateBearerToken(token.accessToken)).toBeNull();
  });

  it("lets only admins manage clients, never an API client", async () => {
    const org = await createTestOrg("key-roles");
    const operator = await org.addOperator("operator");
    await expect(createApiClient(operator.ctx, { name: "x", scopes: ["entities:read"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const asClient = createServiceContext(org.orgId, { type: "api_client", clientId: "c", label: "c", scopes: ["entities:write"] });
    await expect(createApiClient(asClient, { name: "x", scopes: ["entities:read"] })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createApiClient(org.admin, { name: "x", scopes: [] })).rejects.toThrow();
  });
});
