import { beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/server/services/audit/list-audit-events";
import { listApiClients, revokeApiClient } from "@/server/services/api-clients/api-clients";
import { forgetCachedApiTokens } from "@/server/auth/api-tokens";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { apiClientFor, call, tokenFor } from "./test-support";

const form = (fields: Record<string, string>) => ({
  rawBody: new URLSearchParams(fields).toString(),
  headers: { "content-type": "application/x-www-form-urlencoded" },
});

describe("partner authentication", () => {
  let org: TestOrg;
  beforeAll(async () => {
    org = await createTestOrg("rest-auth");
  });

  it("issues a 30-minute bearer token for client credentials sent as a form, as JSON or with HTTP Basic", async () => {
    const client = await apiClientFor(org, ["entities:read"]);
    const viaForm = await call("POST", "/auth/token", form({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }));
    expect(viaForm.status).toBe(200);
    expect(viaForm.body).toMatchObject({ token_type: "bearer", expires_in: 3600, scope: "entities:read" });
    const viaJson = await call("POST", "/auth/token", { body: { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret } });
    expect(viaJson.status).toBe(200);
    const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64");
    const viaBasic = await call("POST", "/auth/token", { ...form({ grant_type: "client_credentials" }), headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${basic}` } });
    expect(viaBasic.status).toBe(200);
    const token = (viaForm.body as { access_token: string }).access_token;
    expect((await call("GET", "/entities/site", { token })).status).toBe(200);
  });

  it("issues a token from the username/password form", async () => {
    const client = await apiClientFor(org, ["entities:read"]);
    const response = await call("POST", "/auth/token-form", form({ username: client.clientId, password: client.clientSecret }));
    expect(response.status).toBe(200);
    const token = (response.body as { access_token: string }).access_token;
    expect((await call("GET", "/entities/asset", { token })).status).toBe(200);
  });

  it("refuses a wrong secret or unknown client with 401 and missing fields with 422", async () => {
    const client = await apiClientFor(org, ["entities:read"]);
    expect((await call("POST", "/auth/token", form({ client_id: client.clientId, client_secret: "wrong" }))).status).toBe(401);
    expect((await call("POST", "/auth/token-form", form({ username: "ffc_nobody", password: client.clientSecret }))).status).toBe(401);
    const missing = await call("POST", "/auth/token-form", form({ username: client.clientId }));
    expect(missing.status).toBe(422);
    expect(missing.body).toEqual({ detail: [{ loc: ["body", "password"], msg: "Field required", type: "missing" }] });
    expect((await call("POST", "/auth/token", { rawBody: "{nope", headers: { "content-type": "application/json" } })).status).toBe(422);
  });

  it("refuses a scope the client was not granted", async () => {
    const client = await apiClientFor(org, ["entities:read"]);
    const response = await call("POST", "/auth/token", form({ client_id: client.clientId, client_secret: client.clientSecret, scope: "entities:read entities:write" }));
    expect(response.status).toBe(422);
  });

  it("answers 401 without a token or with a wrong one, and 403 without the route's scope", async () => {
    expect((await call("GET", "/entities/site")).status).toBe(401);
    const wrong = await call("GET", "/entities/site", { token: "fft_not-a-real-token" });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe("Bearer");
    const readOnly = await tokenFor(org, ["entities:read"]);
    const refused = await call("POST", "/entities/site", { token: readOnly, body: { mpan: "1234567890126", postcode: "SW1A 1AA" } });
    expect(refused.status).toBe(403);
    expect((await call("POST", "/users", { token: readOnly, body: { userId: "u" } })).status).toBe(403);
  });

  it("stops a revoked client's tokens and credentials", async () => {
    const client = await apiClientFor(org, ["entities:read"]);
    const token = (
      (await call("POST", "/auth/token", form({ client_id: client.clientId, client_secret: client.clientSecret }))).body as { access_token: string }
    ).access_token;
    expect((await call("GET", "/entities/site", { token })).status).toBe(200);
    await revokeApiClient(org.admin, { id: client.id });
    forgetCachedApiTokens();
    expect((await call("GET", "/entities/site", { token })).status).toBe(401);
    expect((await call("POST", "/auth/token", form({ client_id: client.clientId, client_secret: client.clientSecret }))).status).toBe(401);
  });

  it("never shows a secret or token again after creation: not in lists, audit or errors", async () => {
    const client = await apiClientFor(org, ["entities:read"]);
    const response = await call("POST", "/auth/token", form({ client_id: client.clientId, client_secret: client.clientSecret }));
    const token = (response.body as { access_token: string }).access_token;
    const listed = JSON.stringify(await listApiClients(org.admin));
    const audit = JSON.stringify(await listAuditEvents(org.admin, { limit: 200, offset: 0 }));
    for (const secret of [client.clientSecret, token]) {
      expect(listed).not.toContain(secret);
      expect(audit).not.toContain(secret);
    }
    const wrong = await call("POST", "/auth/token", form({ client_id: client.clientId, client_secret: `${client.clientSecret}x` }));
    expect(wrong.text).not.toContain(client.clientSecret);
  });
});
