// Fuzzes every operation of our published OpenAPI document (/api/v1/openapi.json) over real
// HTTP with a valid token: requests generated from each operation's schemas, mostly well formed
// so they reach the services, with hostile values planted (NUL, lone surrogates, huge strings,
// numbers and arrays, wrong types, deep nesting), odd content types and encodings, malformed
// JSON, traversal ids and wrong methods. Whatever comes in: no 5xx, no dropped connection, no
// answer larger than a bound, and every operation's answer matches the document.
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_SCOPES, type ApiScope } from "@/server/domain/api-scopes";
import { createTestOrg } from "@/test/fixtures";
import { tokenFor } from "@/server/api/rest/test-support";
import { startPlatformHttpServer, type PlatformHttpServer } from "@/test/flows/platform-http";
import { HOSTILE_STRINGS, schemaArbitraries, validMpan, type JsonSchema } from "./schema-arbitraries";

/**
 * Cases per operation (about 750 requests in all; 25 s on a quiet machine here) and the seed: fixed, so the suite
 * stays deterministic. FUZZ_SEED and FUZZ_CASES explore further, e.g. FUZZ_SEED=$RANDOM FUZZ_CASES=100.
 */
const CASES_PER_OPERATION = Number(process.env.FUZZ_CASES ?? 10);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
/**
 * Set FUZZ_BASE_URL (e.g. http://127.0.0.1:3302/api/v1 for `npm run dev`) with FUZZ_CLIENT_ID and
 * FUZZ_CLIENT_SECRET (from `npm run cli -- create-api-client --org demo --scopes all`) to fuzz a
 * running Next.js server instead of the loopback one; its answers are then not contract-checked.
 */
const EXTERNAL_BASE_URL = process.env.FUZZ_BASE_URL;
/** No answer may be larger than this, whatever was sent (the largest legitimate ones are pages of 5,000). */
const MAX_ANSWER_BYTES = 512 * 1024;

type Operation = {
  method: string;
  path: string;
  operationId: string;
  parameters: { name: string; in: "path" | "query"; required?: boolean; schema: JsonSchema }[];
  bodyType?: string;
  bodySchema?: JsonSchema;
};

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  label: string;
}

interface Outcome {
  request: FuzzRequest;
  status?: number;
  bytes?: number;
  failure?: string;
}

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/** Path segments as they arrive on the wire, already encoded: traversal, NUL, bad escapes. */
const RAW_SEGMENTS = ["..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%00", "abc%00def", "%ED%A0%80", "%FF%FE", "%", "%zz", "%C0%AE%C0%AE", "..", "x".repeat(5000), "%20", "~", "null"];

/** Lone surrogates have no UTF-8 form: a careless client sends their replacement character. */
const wellFormed = (text: string): string => Buffer.from(text, "utf8").toString("utf8");

function encodeSegment(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value) ?? "";
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(wellFormed(text));
  }
}

function operationsOf(document: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const content = (operation.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content;
      const [bodyType, media] = Object.entries(content ?? {})[0] ?? [];
      operations.push({
        method: method.toUpperCase(),
        path,
        operationId: String(operation.operationId),
        parameters: (operation.parameters ?? []) as Operation["parameters"],
        ...(bodyType !== undefined && media ? { bodyType, bodySchema: media.schema } : {}),
      });
    }
  }
  return operations;
}

describe("fuzzing the partner REST API over HTTP", () => {
  let server: PlatformHttpServer | undefined;
  let baseUrl: string;
  let token: string;
  let operations: Operation[];
  let components: Record<string, JsonSchema>;
  const realIds: Record<string, string[]> = { site: [], asset: [], user: [], other: [] };
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    if (EXTERNAL_BASE_URL === undefined) {
      server = await startPlatformHttpServer();
      baseUrl = server.baseUrl;
      token = await tokenFor(await createTestOrg("fuzz"), Object.keys(API_SCOPES) as ApiScope[]);
    } else {
      baseUrl = EXTERNAL_BASE_URL;
      const credentials = new URLSearchParams({ grant_type: "client_credentials", client_id: process.env.FUZZ_CLIENT_ID ?? "", client_secret: process.env.FUZZ_CLIENT_SECRET ?? "" });
      token = ((await (await fetch(`${baseUrl}/auth/token`, { method: "POST", body: credentials })).json()) as { access_token: string }).access_token;
    }
    const document = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as Parameters<typeof operationsOf>[0] & { components: { schemas: Record<string, JsonSchema> } };
    operations = operationsOf(document);
    components = document.components.schemas;

    // A few real records, so that some generated requests address things that exist.
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    for (const mpan of fc.sample(validMpan, { numRuns: 2, seed: SEED })) {
      const body = {
        site: { mpan, postcode: "SW1A 1AA", street_address: "1 Fuzz Lane", gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
        assets: [
          { external_id: `charger-${mpan}`, type: "charger", asset_model: "zappi", properties: { power_kw: 7.4 } },
          { external_id: `battery-${mpan}`, type: "battery", properties: { capacity_kwh: 9.5, power_kw: 5 } },
        ],
      };
      const response = await fetch(`${baseUrl}/entities/site/initialise`, { method: "POST", headers, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      const answer = (await response.json()) as { site: { site_id: string }; assets: { asset_id: string }[] };
      realIds.site?.push(answer.site.site_id);
      realIds.asset?.push(...answer.assets.map((asset) => asset.asset_id));
    }
    const user = await fetch(`${baseUrl}/users`, { method: "POST", headers, body: JSON.stringify({ externalUserId: "fuzz-user" }) });
    realIds.user?.push(((await user.json()) as { userId: string }).userId);
  });

  afterAll(async () => {
    await server?.stop();
  });

  function idsFor(name: string): string[] {
    if (/site/i.test(name)) return realIds.site ?? [];
    if (/asset|battery/i.test(name)) return realIds.asset ?? [];
    if (/user/i.test(name)) return realIds.user ?? [];
    return [];
  }

  function requestArbitrary(operation: Operation): fc.Arbitrary<FuzzRequest> {
    const schemas = schemaArbitraries(components);
    const pathParameters = operation.parameters.filter((parameter) => parameter.in === "path");
    const queryParameters = operation.parameters.filter((parameter) => parameter.in === "query");

    const segment = (parameter: Operation["parameters"][number]) => {
      const real = idsFor(parameter.name);
      return fc.oneof(
        { weight: real.length > 0 ? 6 : 0, arbitrary: real.length > 0 ? fc.constantFrom(...real) : fc.constant("") },
        { weight: 3, arbitrary: schemas.valid(parameter.schema, parameter.name).map(encodeSegment) },
        { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS) },
        { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_STRINGS).map(encodeSegment) },
      );
    };
    const path = fc.tuple(...pathParameters.map(segment)).map((values) => {
      let concrete = operation.path;
      pathParameters.forEach((parameter, index) => (concrete = concrete.replace(`{${parameter.name}}`, values[index] ?? "")));
      return concrete;
    });

    const queryValue = (parameter: Operation["parameters"][number]) =>
      fc
        .oneof({ weight: 3, arbitrary: schemas.valid(parameter.schema, parameter.name) }, { weight: 3, arbitrary: schemas.planted(parameter.schema, parameter.name) })
        .map((value) => (typeof value === "string" ? value : (JSON.stringify(value) ?? "")));
    const query = fc
      .tuple(
        ...queryParameters.map((parameter) => fc.option(queryValue(parameter).map((value) => [parameter.name, value] as const), { freq: 3 })),
        fc.option(fc.tuple(fc.constantFrom("limit", "offset", "x\u0000", "%00", "__proto__"), fc.constantFrom(...HOSTILE_STRINGS)), { freq: 4 }),
      )
      .map((pairs) => {
        const search = new URLSearchParams();
        for (const pair of pairs) if (pair) search.append(pair[0], wellFormed(String(pair[1])));
        const text = search.toString();
        return text === "" ? "" : `?${text}`;
      });

    const isForm = operation.bodyType === "application/x-www-form-urlencoded";
    const encodeBody = (value: unknown): string => {
      if (!isForm) return JSON.stringify(value) ?? "null";
      const form = new URLSearchParams();
      if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        for (const [key, field] of Object.entries(value)) form.append(wellFormed(key), wellFormed(typeof field === "string" ? field : (JSON.stringify(field) ?? "")));
      }
      return form.toString();
    };
    const schema = operation.bodySchema ?? { type: "object" };
    const bodyText = fc.oneof(
      { weight: 4, arbitrary: schemas.valid(schema).map(encodeBody) },
      { weight: 8, arbitrary: schemas.planted(schema).map(encodeBody) },
      { weight: 2, arbitrary: schemas.hostile(schema).map(encodeBody) },
      { weight: 2, arbitrary: fc.constantFrom("{", "[", '{"a":', "}", "\u0000", "nul", '{"a":"\\ud800"}', '{"a":1}}', "[]", "null", "1", '"text"', "{'single': 1}", '{"a":1,}', "\ufeff{}", "") },
      { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
    );
    const contentType = fc.oneof(
      { weight: 12, arbitrary: fc.constant(operation.bodyType ?? "application/json") },
      { weight: 3, arbitrary: fc.constantFrom("text/plain", "multipart/form-data; boundary=x", "multipart/form-data", "application/xml", "application/json; charset=utf-16", "application/x-www-form-urlencoded", "application/merge-patch+json", "*/*", "") },
    );
    const encoding = fc.oneof(
      { weight: 12, arbitrary: fc.constant("identity") },
      { weight: 2, arbitrary: fc.constantFrom("gzip", "gzip-garbage", "br", "deflate") },
    );
    const method = fc.oneof({ weight: 12, arbitrary: fc.constant(operation.method) }, { weight: 2, arbitrary: fc.constantFrom(...METHODS) });

    return fc.record({ method, path, query, bodyText, contentType, encoding }).map(({ method, path, query, bodyText, contentType, encoding }) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      const takesBody = method !== "GET" && method !== "HEAD";
      let body: Uint8Array | undefined;
      if (takesBody) {
        const bytes = Buffer.from(bodyText, "utf8");
        if (contentType !== "") headers["content-type"] = contentType;
        if (encoding === "identity") body = new Uint8Array(bytes);
        else {
          headers["content-encoding"] = encoding === "gzip-garbage" ? "gzip" : encoding;
          body = new Uint8Array(encoding === "gzip" ? gzipSync(bytes) : Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), bytes]));
        }
      }
      return { method, path: `${path}${query}`, headers, ...(body ? { body } : {}), label: `${method} ${path}${query} [${contentType}, ${encoding}] ${bodyText.slice(0, 160)}` };
    });
  }

  async function send(request: FuzzRequest): Promise<Outcome> {
    try {
      const response = await fetch(`${baseUrl}${request.path}`, { method: request.method, headers: request.headers, ...(request.body ? { body: request.body as BodyInit } : {}) });
      const bytes = (await response.arrayBuffer()).byteLength;
      return { request, status: response.status, bytes };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { request, failure: `${error instanceof Error ? error.message : String(error)} ${cause?.code ?? cause?.message ?? ""}` };
    }
  }

  function check(outcome: Outcome): void {
    outcomes.push(outcome);
    const where = outcome.request.label;
    expect(outcome.failure, `connection failed: ${where}`).toBeUndefined();
    expect(outcome.status, `status: ${where}`).toBeLessThan(500);
    expect(outcome.bytes, `answer size: ${where}`).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
  }

  it("answers every generated request to every operation with no 5xx, no reset and a bounded answer", { timeout: EXTERNAL_BASE_URL === undefined ? 300_000 : 1_800_000 }, async () => {
    expect(operations.length).toBeGreaterThanOrEqual(50);
    for (const operation of operations) {
      await fc.assert(
        fc.asyncProperty(requestArbitrary(operation), async (request) => check(await send(request))),
        { numRuns: CASES_PER_OPERATION, seed: SEED, endOnFailure: true },
      );
    }
    expect(server?.contractViolations.slice(0, 10) ?? []).toEqual([]);
  });

  it("answers whole-request abuse: unknown paths, huge and lying bodies", { timeout: EXTERNAL_BASE_URL === undefined ? 60_000 : 600_000 }, async () => {
    const unknownPath = fc.tuple(fc.array(fc.oneof(fc.constantFrom("entities", "site", "asset", "..", "etc", "passwd", "%2e%2e", "api", "v2"), fc.string({ minLength: 1, maxLength: 8 }).map(encodeSegment)), { minLength: 1, maxLength: 5 }), fc.constantFrom(...METHODS));
    await fc.assert(
      fc.asyncProperty(unknownPath, async ([segments, method]) => {
        const outcome = await send({ method, path: `/${segments.join("/")}`, headers: { authorization: `Bearer ${token}` }, label: `${method} /${segments.join("/")}` });
        check(outcome);
      }),
      { numRuns: 150, seed: SEED },
    );
    // Just over each route's limit (8 MB for readings, 1 MB elsewhere, 16 kB for tokens).
    for (const [path, megabytes] of [["/entities/site", 1.1], ["/data/readings", 8.1], ["/auth/token", 0.1], ["/users", 1.1]] as const) {
      const body = new Uint8Array(Buffer.alloc(Math.round(megabytes * 1024 * 1024), 0x20));
      const outcome = await send({ method: "POST", path, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body, label: `${megabytes} MB to ${path}` });
      check(outcome);
      expect(outcome.status).toBe(413);
    }
  });

  afterAll(() => {
    const failures = outcomes.filter((outcome) => outcome.failure !== undefined).length;
    const serverErrors = outcomes.filter((outcome) => (outcome.status ?? 0) >= 500).length;
    const byStatus = new Map<number, number>();
    for (const outcome of outcomes) if (outcome.status !== undefined) byStatus.set(outcome.status, (byStatus.get(outcome.status) ?? 0) + 1);
    const largest = Math.max(0, ...outcomes.map((outcome) => outcome.bytes ?? 0));
    console.info(
      `partner API fuzz: ${outcomes.length} requests over ${operations?.length ?? 0} operations; 5xx ${serverErrors}; resets ${failures}; largest answer ${largest} bytes; by status ${JSON.stringify(Object.fromEntries([...byStatus].sort(([a], [b]) => a - b)))}`,
    );
  });
});
