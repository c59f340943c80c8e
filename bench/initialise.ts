// POST /entities/site/initialise throughput on loopback: 50 concurrent HTTP clients,
// each initialising its own sites (two assets each), then a round re-initialising
// existing ones (the idempotent path). A throwaway embedded PostgreSQL is used unless
// DATABASE_URL is set.
//   npx tsx bench/initialise.ts [seconds-per-phase]
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mpanCheckDigit } from "@/server/domain/inventory";
import { startBenchEnvironment } from "./lib/bench-environment";

const CLIENTS = 50;
const SECONDS = Number(process.argv[2] ?? "10");

const bench = await startBenchEnvironment({ name: "initialise" });
const { createApiClient } = await import("@/server/services/api-clients/api-clients");
const { inventoryHandlers } = await import("@/server/api/rest/inventory");
const { issueTokenHandler } = await import("@/server/api/rest/auth");

const client = await createApiClient(bench.ctx, { name: "bench", scopes: ["entities:write", "entities:read"] });

const server = createServer((incoming, outgoing) => {
  void (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [key, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(key, value);
    const request = new Request(`http://127.0.0.1${incoming.url ?? "/"}`, { method: incoming.method ?? "GET", headers, body: new Uint8Array(Buffer.concat(chunks)) });
    const response = (incoming.url ?? "").startsWith("/api/v1/auth/token") ? await issueTokenHandler(request) : await inventoryHandlers.initialiseSite(request);
    outgoing.writeHead(response.status, Object.fromEntries(response.headers.entries()));
    outgoing.end(Buffer.from(await response.arrayBuffer()));
  })();
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;

const tokenResponse = await fetch(`${base}/auth/token`, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret }),
});
const { access_token: token } = (await tokenResponse.json()) as { access_token: string };

const mpanFor = (n: number) => {
  const prefix = `1${String(n).padStart(11, "0")}`;
  return `${prefix}${mpanCheckDigit(prefix)}`;
};
const bodyFor = (n: number) => ({
  site: { mpan: mpanFor(n), postcode: "SW1A 1AA", street_address: `${n} Bench Street`, email: `house${n}@example.com`, gave_boundary_meter_consent_at: "2026-01-15T10:30:00Z" },
  assets: [
    { external_id: `bench-charger-${n}`, type: "charger", asset_model: "zappi", installation_date: "2025-06-15", properties: { power_kw: 7.4 } },
    { external_id: `bench-battery-${n}`, type: "battery", oem: "givenergy", properties: { power_kw: 5, capacity_kwh: 10 } },
  ],
});

async function phase(label: string, next: () => number): Promise<void> {
  const latencies: number[] = [];
  let failures = 0;
  const deadline = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const response = await fetch(`${base}/entities/site/initialise`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify(bodyFor(next())),
        });
        await response.arrayBuffer();
        if (response.status !== 200) failures++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0).toFixed(1);
  console.log(`${label}: ${latencies.length} requests in ${elapsed.toFixed(1)} s = ${(latencies.length / elapsed).toFixed(0)} req/s; latency p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms; non-200: ${failures}`);
}

console.log(`initialise benchmark: ${CLIENTS} concurrent clients over loopback HTTP, ${SECONDS} s per phase, 1 site + 2 assets per request`);
let created = 0;
await phase("new sites      ", () => created++);
const existing = created;
let cursor = 0;
await phase("re-initialise  ", () => cursor++ % existing);

server.close();
await bench.stop();
