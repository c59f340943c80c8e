// Rate limits on the token endpoints hold across processes: two separate Node processes serve the
// REST API on one database, and a guesser alternating between them is locked out all the same.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiClient } from "@/server/services/api-clients/api-clients";
import { createTestOrg } from "@/test/fixtures";

const children: ChildProcess[] = [];

async function startServerProcess(): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/flows/serve-platform-http.ts"], { env: process.env, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  if (!child.stdout) throw new Error("no stdout");
  const lines = createInterface({ input: child.stdout });
  return new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server process exited with ${code}`)));
    lines.once("line", (line) => resolve(line.trim()));
  });
}

function tokenRequest(baseUrl: string, path: "/auth/token" | "/auth/token-form", fields: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });
}

let servers: [string, string];
const pick = (i: number) => servers[i % 2 === 0 ? 0 : 1];

beforeAll(async () => {
  servers = [await startServerProcess(), await startServerProcess()];
}, 60_000);

afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
});

describe("credential lockout across processes", () => {
  it("refuses the 11th wrong secret within a minute with 429 and Retry-After, and then the right secret too", async () => {
    const org = await createTestOrg("lockout");
    const client = await createApiClient(org.admin, { name: "Guessed", scopes: ["entities:read"] });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await tokenRequest(pick(i), "/auth/token", { grant_type: "client_credentials", client_id: client.clientId, client_secret: `wrong-${i}` });
      statuses.push(response.status);
    }
    expect(statuses).toEqual(Array(10).fill(401));

    const eleventh = await tokenRequest(servers[0], "/auth/token", { client_id: client.clientId, client_secret: "wrong-again" });
    expect(eleventh.status).toBe(429);
    const retryAfter = Number(eleventh.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(((await eleventh.json()) as { detail: string }).detail).toMatch(/Try again in/);

    // The right secret is refused while the lock lasts, on either process and either endpoint.
    const right = await tokenRequest(servers[1], "/auth/token", { client_id: client.clientId, client_secret: client.clientSecret });
    expect(right.status).toBe(429);
    expect(right.headers.get("retry-after")).not.toBeNull();
    const viaForm = await tokenRequest(servers[0], "/auth/token-form", { username: client.clientId, password: client.clientSecret });
    expect(viaForm.status).toBe(429);
  });

  it("lets a partner that gets its secret right sign in as often as it likes", async () => {
    const org = await createTestOrg("lockout-ok");
    const client = await createApiClient(org.admin, { name: "Busy", scopes: ["entities:read"] });
    const statuses: number[] = [];
    for (let i = 0; i < 14; i++) {
      const response = await tokenRequest(pick(i), "/auth/token", { client_id: client.clientId, client_secret: client.clientSecret });
      statuses.push(response.status);
    }
    expect(statuses).toEqual(Array(14).fill(200));
  });

  it("locks one address that sprays many client ids (per-address limit)", async () => {
    const org = await createTestOrg("lockout-ip");
    const client = await createApiClient(org.admin, { name: "Innocent", scopes: ["entities:read"] });
    // A guesser behind one address trying unknown client ids, one attempt each: only the per-address rule can stop it.
    // (the suite's default allows 50 a minute per address; parallel test files may add their own failures from loopback)
    let status = 0;
    let tries = 0;
    while (status !== 429 && tries < 60) {
      status = (await tokenRequest(pick(tries), "/auth/token", { client_id: `ffc_nobody_${tries}_${org.slug}`, client_secret: "guess" })).status;
      tries++;
    }
    expect(status).toBe(429);
    expect(tries).toBeLessThanOrEqual(51);
    // Every request from that address is refused while it lasts, a partner's right secret included.
    expect((await tokenRequest(servers[0], "/auth/token", { client_id: client.clientId, client_secret: client.clientSecret })).status).toBe(429);
  });
});
