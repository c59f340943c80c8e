// Hostile input at the boundary: every refusal is a clear 4xx naming the field, never a 500,
// and never an answer that grows with the request. (The fuzz test in test/fuzz covers the
// same ground at random; these are the cases the probe of issue 12 found, pinned down.)
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { createCaller } from "@/server/api/root";
import { createTestOrg, type TestOrg } from "@/test/fixtures";
import { createRestDispatcher } from "./dispatch";
import { ALL_SCOPES, apiClientFor, call, randomMpan, tokenFor } from "./test-support";

const NUL = "\u0000";
const LONE_SURROGATE = "\ud800";

describe("hostile input on the partner REST API", () => {
  let org: TestOrg;
  let token: string;
  let userId: string;
  beforeAll(async () => {
    org = await createTestOrg("rest-hostile");
    token = await tokenFor(org, [...ALL_SCOPES, "readings:write"]);
    const created = await call("POST", "/users", { token, body: { userId: "hostile-user" } });
    userId = (created.body as { userId: string }).userId;
  });

  it("refuses a NUL byte or a lone surrogate in any body field with 422 naming the field (400 problem on the energy-coordination dialect)", async () => {
    for (const bad of [NUL, LONE_SURROGATE]) {
      const user = await call("POST", "/users", { token, body: { userId: `a${bad}b` } });
      expect(user.status).toBe(400);
      expect(user.headers.get("content-type")).toBe("application/problem+json");
      expect(user.body).toMatchObject({ status: 400, errors: { userId: [expect.any(String)] } });

      const meter = { address: { street: `1 High St${bad}` }, meterPointId: "m-1", locationType: "Residential" };
      expect((await call("POST", `/users/${userId}/meters`, { token, body: meter })).body).toMatchObject({ detail: [{ loc: ["body", "address", "street"] }] });

      const resource = { resourceId: "tank-1", metadata: { resourceType: "HotWaterTank", [`note${bad}`]: 1 } };
      expect((await call("POST", `/users/${userId}/resources`, { token, body: resource })).body).toMatchObject({ detail: [{ loc: ["body", "metadata", `note${bad}`] }] });
    }
  });

  it("refuses %00 in a path or query parameter with 422 naming it", async () => {
    const byExternalId = await call("GET", "/entities/asset/external-id/charger%00one", { token });
    expect(byExternalId.status).toBe(422);
    expect(byExternalId.body).toMatchObject({ detail: [{ loc: ["path", "external_id"], type: "string_contains_nul" }] });
    const listed = await call("GET", "/entities/site?postcode=SW1A%001AA", { token });
    expect(listed.body).toMatchObject({ detail: [{ loc: ["query", "postcode"], type: "string_contains_nul" }] });
  });

  it("answers a traversal-style id with a 422 on the id, not a page", async () => {
    const response = await call("GET", "/entities/site/..%2F..%2Fetc%2Fpasswd", { token });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ detail: [{ loc: ["path", "site_id"], type: "uuid_parsing" }] });
  });

  it("refuses hostile values on the token endpoints without a 500", async () => {
    const client = await apiClientFor(org, ["entities:read"]);
    const form = (fields: Record<string, string>) => ({ rawBody: new URLSearchParams(fields).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } });
    const nulId = await call("POST", "/auth/token", form({ client_id: `${client.clientId}${NUL}`, client_secret: client.clientSecret }));
    expect(nulId.status).toBe(422);
    expect(nulId.body).toMatchObject({ detail: [{ loc: ["body", "client_id"] }] });
    const nulUser = await call("POST", "/auth/token-form", form({ username: NUL, password: "x" }));
    expect(nulUser.body).toMatchObject({ detail: [{ loc: ["body", "username"] }] });

    const basic = `Basic ${Buffer.from(`${client.clientId}%00:${client.clientSecret}`).toString("base64")}`;
    const nulBasic = await call("POST", "/auth/token", { ...form({ grant_type: "client_credentials" }), headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic } });
    expect(nulBasic.body).toMatchObject({ detail: [{ loc: ["header", "client_id"] }] });
    const badEscape = `Basic ${Buffer.from(`${client.clientId}%E0%A4:${client.clientSecret}`).toString("base64")}`;
    expect((await call("POST", "/auth/token", { ...form({}), headers: { "content-type": "application/x-www-form-urlencoded", authorization: badEscape } })).status).toBe(401);

    const boundary = "----hostile";
    const multipart = [`--${boundary}`, 'Content-Disposition: form-data; name="client_id"', "", client.clientId, `--${boundary}`, 'Content-Disposition: form-data; name="client_secret"', "", client.clientSecret, `--${boundary}--`, ""].join("\r\n");
    const good = await call("POST", "/auth/token", { rawBody: multipart, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } });
    expect(good.status).toBe(200);
    const broken = await call("POST", "/auth/token", { rawBody: "not a multipart body", headers: { "content-type": `multipart/form-data; boundary=${boundary}` } });
    expect(broken.status).toBe(422);
    const noBoundary = await call("POST", "/auth/token-form", { rawBody: multipart, headers: { "content-type": "multipart/form-data" } });
    expect(noBoundary.status).toBe(422);

    expect((await call("POST", "/auth/token", { rawBody: "<xml/>", headers: { "content-type": "application/xml" } })).status).toBe(415);
  });

  it("answers 415 for a body that is not JSON and 422 with one message for malformed or non-UTF-8 JSON", async () => {
    const site = JSON.stringify({ mpan: randomMpan(), postcode: "SW1A 1AA" });
    const asText = await call("POST", "/entities/site", { token, rawBody: site, headers: { "content-type": "text/plain" } });
    expect(asText.status).toBe(415);
    expect(asText.body).toEqual({ detail: expect.stringContaining("application/json") });
    expect((await call("POST", "/entities/site", { token, rawBody: site, headers: { "content-type": "application/x-www-form-urlencoded" } })).status).toBe(415);

    for (const malformed of ["{", '{"mpan": }', "[1,2", '{"a":"\\ud800', "\u0000", '{"a":1}}']) {
      const response = await call("POST", "/entities/site", { token, rawBody: malformed, headers: { "content-type": "application/json" } });
      expect(response.status, malformed).toBe(422);
      expect(response.body, malformed).toMatchObject({ detail: [{ type: "json_invalid" }] });
      expect((response.body as { detail: unknown[] }).detail).toHaveLength(1);
    }
    const latin1 = Buffer.from('{"mpan": "caf\xe9"}', "latin1");
    const notUtf8 = await call("POST", "/entities/site", { token, rawBody: new Uint8Array(latin1), headers: { "content-type": "application/json" } });
    expect(notUtf8.body).toEqual({ detail: [{ loc: ["body"], msg: "Request body is not valid UTF-8", type: "json_invalid" }] });
  });

  it("lists at most 100 problems and counts the rest, however many the request holds", async () => {
    const readings = Array.from({ length: 100_000 }, () => 1);
    const response = await call("POST", "/data/readings", { token, body: { readings } });
    expect(response.status).toBe(422);
    const detail = (response.body as { detail: { loc: unknown[]; msg: string; type: string }[] }).detail;
    expect(detail.length).toBeLessThanOrEqual(101);
    expect(response.text.length).toBeLessThan(50_000);

    const users = await call("POST", "/entities/site/initialise", { token, body: { site: { mpan: 1 }, assets: Array.from({ length: 5000 }, () => ({ type: 7 })) } });
    const tail = (users.body as { detail: { type: string; msg: string }[] }).detail.at(-1);
    expect(users.status).toBe(422);
    expect(tail).toMatchObject({ type: "too_many_errors", msg: expect.stringMatching(/^\d+ more problems not listed/) });
  });

  it("refuses a body over the route's limit with 413, also when it is gzip", async () => {
    const big = JSON.stringify({ mpan: randomMpan(), postcode: "SW1A 1AA", street_address: "x".repeat(2 * 1024 * 1024) });
    expect((await call("POST", "/entities/site", { token, rawBody: big, headers: { "content-type": "application/json" } })).status).toBe(413);
    const bomb = gzipSync(Buffer.from(big));
    expect((await call("POST", "/entities/site", { token, rawBody: new Uint8Array(bomb), headers: { "content-type": "application/json", "content-encoding": "gzip" } })).status).toBe(413);
  });
});

describe("unknown paths and methods under /api/v1", () => {
  const dispatcher = createRestDispatcher();
  const send = async (method: string, path: string) => {
    const response = await dispatcher.handle(new Request(`http://localhost/api/v1${path}`, { method }));
    return { status: response.status, allow: response.headers.get("allow"), type: response.headers.get("content-type"), text: await response.text() };
  };

  it("answers JSON 404 {detail: Not Found} for a path we do not serve, whatever the method", async () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
      for (const path of ["/nope", "/entities/site/x/y/z", "/etc/passwd", "/entities", "/", "/entities//site"]) {
        const response = await send(method, path);
        expect(response, `${method} ${path}`).toEqual({ status: 404, allow: null, type: "application/json", text: '{"detail":"Not Found"}' });
      }
    }
  });

  it("answers 405 JSON with Allow for a served path and a method it does not take", async () => {
    expect(await send("DELETE", "/entities/site")).toEqual({ status: 405, allow: "GET, HEAD, OPTIONS, POST", type: "application/json", text: '{"detail":"Method Not Allowed"}' });
    expect((await send("PUT", "/entities/site/00000000-0000-4000-8000-000000000000")).allow).toBe("DELETE, GET, HEAD, OPTIONS, PATCH");
    // A literal segment wins over a parameter, as in Next.js routing.
    expect((await send("GET", "/entities/site/check-eligibility")).allow).toBe("OPTIONS, POST");
    expect((await send("GET", "/auth/token")).status).toBe(405);
    expect((await send("POST", "/openapi.json")).allow).toBe("GET, HEAD, OPTIONS");
  });

  it("answers OPTIONS with the allowed methods and HEAD like GET without a body", async () => {
    expect(await send("OPTIONS", "/data/readings")).toMatchObject({ status: 204, allow: "OPTIONS, POST", text: "" });
    const head = await send("HEAD", "/entities/site");
    expect(head).toMatchObject({ status: 401, text: "" });
    expect((await send("HEAD", "/openapi.json")).status).toBe(200);
  });
});

describe("hostile input on tRPC procedures", () => {
  let caller: ReturnType<typeof createCaller>;
  beforeAll(async () => {
    const org = await createTestOrg("trpc-hostile");
    caller = createCaller({ operator: null, service: org.admin });
  });

  async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
    const error = await promise.then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(TRPCError);
    return error as TRPCError;
  }

  it("refuses a non-UUID id with BAD_REQUEST before any service runs", async () => {
    for (const call of [caller.batteries.credential({ siteId: "not-a-uuid" }), caller.rewards.planBatterySchedules({ assetId: "1; drop table" }), caller.consent.timeline({ siteId: "x" })]) {
      expect((await refusal(call)).code).toBe("BAD_REQUEST");
    }
  });

  it("refuses a NUL byte or a lone surrogate in any string with BAD_REQUEST naming the field", async () => {
    const error = await refusal(caller.sites.create({ mpan: randomMpan(), postcode: "SW1A 1AA", streetAddress: `1 High St${NUL}` }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/NUL/);
    expect((error.cause as ZodError).issues).toMatchObject([{ path: ["streetAddress"] }]);
    const surrogate = await refusal(caller.rewards.addEntry({ siteId: randomUUID(), entryType: "correction", amountPence: 1, note: `sorry${LONE_SURROGATE}` }));
    expect(surrogate.code).toBe("BAD_REQUEST");
    expect((surrogate.cause as ZodError).issues).toMatchObject([{ path: ["note"], params: { type: "string_not_unicode" } }]);
  });
});
