// Fuzzes every tRPC procedure over real HTTP through the same route handler the dashboard and
// internal tools use (app/api/trpc/[trpc]), with an API token of the organisation: inputs from
// each procedure's own zod schema (as JSON Schema), mostly valid with one hostile change, plus
// malformed envelopes. Whatever comes in: no 500, no dropped connection, no oversized answer.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { GET, POST } from "@/app/api/trpc/[trpc]/route";
import { appRouter } from "@/server/api/root";
import { API_SCOPES, type ApiScope } from "@/server/domain/api-scopes";
import { tokenFor } from "@/server/api/rest/test-support";
import { createTestOrg } from "@/test/fixtures";
import { schemaArbitraries, type JsonSchema } from "./schema-arbitraries";

const CASES_PER_PROCEDURE = Number(process.env.FUZZ_CASES ?? 6);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const MAX_ANSWER_BYTES = 512 * 1024;

/** superjson's envelope; it refuses keys such as `__proto__` on the client side, so those go as plain JSON. */
function envelopeOf(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    return JSON.stringify({ json: input });
  }
}

interface Procedure {
  path: string;
  type: "query" | "mutation" | "subscription";
  input: JsonSchema;
}

function proceduresOf(): Procedure[] {
  const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { type: Procedure["type"]; inputs: z.ZodType[] } }> }).procedures;
  return Object.entries(procedures).map(([path, procedure]) => {
    const [input] = procedure._def.inputs;
    return { path, type: procedure._def.type, input: input ? (z.toJSONSchema(input, { unrepresentable: "any", io: "input" }) as JsonSchema) : {} };
  });
}

/** node:http in front of the Next route handler's GET and POST, as `next start` would call them. */
async function serveTrpc(): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const method = req.method ?? "GET";
      const body = Buffer.concat(chunks);
      const request = new Request(`http://127.0.0.1${req.url ?? "/"}`, { method, headers, ...(method !== "GET" && method !== "HEAD" && body.length > 0 ? { body: new Uint8Array(body) } : {}) });
      const response = await (method === "GET" ? GET(request) : POST(request));
      const text = Buffer.from(await response.arrayBuffer());
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (name !== "content-length" && name !== "content-encoding" && name !== "transfer-encoding") out[name] = value;
      });
      res.writeHead(response.status, out).end(text);
    })().catch(() => res.writeHead(599).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/trpc`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("fuzzing the tRPC procedures over HTTP", () => {
  let served: Awaited<ReturnType<typeof serveTrpc>>;
  let token: string;
  const outcomes: { label: string; status?: number; bytes?: number; failure?: string }[] = [];

  beforeAll(async () => {
    served = await serveTrpc();
    token = await tokenFor(await createTestOrg("trpc-fuzz"), Object.keys(API_SCOPES) as ApiScope[]);
  });

  afterAll(async () => {
    await served?.stop();
    const serverErrors = outcomes.filter((outcome) => (outcome.status ?? 0) >= 500).length;
    const failures = outcomes.filter((outcome) => outcome.failure !== undefined).length;
    const largest = Math.max(0, ...outcomes.map((outcome) => outcome.bytes ?? 0));
    const byStatus = new Map<number, number>();
    for (const outcome of outcomes) if (outcome.status !== undefined) byStatus.set(outcome.status, (byStatus.get(outcome.status) ?? 0) + 1);
    console.info(`tRPC fuzz: ${outcomes.length} requests; 5xx ${serverErrors}; resets ${failures}; largest answer ${largest} bytes; by status ${JSON.stringify(Object.fromEntries([...byStatus].sort(([a], [b]) => a - b)))}`);
  });

  it("answers every generated input to every procedure with a 4xx or a result, never a 500 or a reset", { timeout: 300_000 }, async () => {
    const procedures = proceduresOf().filter((procedure) => procedure.type !== "subscription");
    expect(procedures.length).toBeGreaterThan(50);
    const arbitraries = schemaArbitraries({});
    for (const procedure of procedures) {
      const envelope = fc.oneof(
        { weight: 3, arbitrary: arbitraries.valid(procedure.input).map(envelopeOf) },
        { weight: 6, arbitrary: arbitraries.planted(procedure.input).map(envelopeOf) },
        { weight: 1, arbitrary: fc.constantFrom("{", '{"json":', "[]", "null", '{"json":{"a":"\\ud800"}}', '{"json":"\\u0000"}', '{"meta":{"values":{"":["Date"]}},"json":"x"}', '{"meta":{"values":{"a":["undefined","bogus"]}},"json":{"a":1}}') },
      );
      await fc.assert(
        fc.asyncProperty(envelope, async (text) => {
          const url = procedure.type === "query" ? `${served.baseUrl}/${procedure.path}?input=${encodeURIComponent(Buffer.from(text, "utf8").toString("utf8"))}` : `${served.baseUrl}/${procedure.path}`;
          const label = `${procedure.type} ${procedure.path} ${text.slice(0, 200)}`;
          const init: RequestInit = procedure.type === "query" ? { headers: { authorization: `Bearer ${token}` } } : { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: text };
          try {
            const response = await fetch(url, init);
            const bytes = (await response.arrayBuffer()).byteLength;
            outcomes.push({ label, status: response.status, bytes });
            expect(response.status, label).toBeLessThan(500);
            expect(bytes, label).toBeLessThanOrEqual(MAX_ANSWER_BYTES);
          } catch (error) {
            if ((error as { name?: string }).name === "AssertionError") throw error;
            outcomes.push({ label, failure: String(error) });
            throw error;
          }
        }),
        { numRuns: CASES_PER_PROCEDURE, seed: SEED, endOnFailure: true },
      );
    }
    // Inputs are parsed after the permission check: if the token stopped working, every answer would
    // be a 401/403 and nothing past the refusal would have been fuzzed. (Measured: about 1 in 5
    // procedures refuse an API client's token: the operator-only ones are fuzzed no further.)
    const refused = outcomes.filter((outcome) => outcome.status === 401 || outcome.status === 403).length;
    expect(refused, "answers refused before the input was read").toBeLessThan(outcomes.length / 2);
  });
});
