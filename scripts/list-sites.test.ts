import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { issueTokenHandler } from "@/server/api/rest/auth";
import { createTrpcContext } from "@/server/api/trpc";
import { createApiClient } from "@/server/services/api-clients/api-clients";
import { initialiseSite } from "@/server/services/inventory/initialise";
import { createTestOrg } from "@/test/fixtures";
import { fetchToken, listSitesViaTrpc, trpcClient } from "./list-sites";

async function toRequest(incoming: IncomingMessage, baseUrl: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(key, value);
  const body = chunks.length > 0 ? new Uint8Array(Buffer.concat(chunks)) : undefined;
  return new Request(new URL(incoming.url ?? "/", baseUrl), { method: incoming.method ?? "GET", headers, ...(body ? { body } : {}) });
}

// The same two handlers the Next.js app mounts, on a real HTTP port.
let server: Server;
let baseUrl = "";
beforeAll(async () => {
  server = createServer((incoming, outgoing) => {
    void (async () => {
      const request = await toRequest(incoming, baseUrl);
      const response = new URL(request.url).pathname.startsWith("/api/trpc")
        ? await fetchRequestHandler({ endpoint: "/api/trpc", req: request, router: appRouter, createContext: () => createTrpcContext({ headers: request.headers }) })
        : await issueTokenHandler(request);
      outgoing.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("scripts/list-sites", () => {
  it("lists and searches an organisation's sites over tRPC with an API client's bearer token", async () => {
    const org = await createTestOrg("trpc-script");
    const client = await createApiClient(org.admin, { name: "script", scopes: ["entities:read"] });
    await initialiseSite(org.admin, { site: { mpan: "1234567890126", postcode: "SW1A 1AA", streetAddress: "10 Downing Street" }, assets: [{ externalId: "script-charger-1", type: "charger" }] });
    await initialiseSite(org.admin, { site: { mpan: "2000000000008", postcode: "EH1 1YZ" }, assets: [{ externalId: "script-battery-1", type: "battery" }] });
    const token = await fetchToken(baseUrl, client.clientId, client.clientSecret);
    const all = await listSitesViaTrpc({ baseUrl, token });
    expect(all.total).toBe(2);
    const found = await listSitesViaTrpc({ baseUrl, token, search: "downing" });
    expect(found.items.map((site) => site.mpan)).toEqual(["1234567890126"]);
    const byAsset = await listSitesViaTrpc({ baseUrl, token, search: "battery-1" });
    expect(byAsset.items.map((site) => site.postcode)).toEqual(["EH1 1YZ"]);
  });

  it("refuses a bad token and a token without the scope", async () => {
    await expect(listSitesViaTrpc({ baseUrl, token: "fft_nope" })).rejects.toMatchObject({ data: { code: "UNAUTHORIZED" } });
    const org = await createTestOrg("trpc-scope");
    const client = await createApiClient(org.admin, { name: "users only", scopes: ["users:read"] });
    const token = await fetchToken(baseUrl, client.clientId, client.clientSecret);
    await expect(listSitesViaTrpc({ baseUrl, token })).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
    // An API client cannot manage API clients, whatever its scopes.
    await expect(trpcClient(baseUrl, token).apiClients.list.query()).rejects.toMatchObject({ data: { code: "FORBIDDEN" } });
  });
});
