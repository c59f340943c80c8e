// An internal tool talking to the tRPC API with an API client's bearer token: lists
// sites. A working example for scripts of your own.
//
//   FLEXFLEET_URL=http://localhost:3000 FLEXFLEET_CLIENT_ID=ffc_... FLEXFLEET_CLIENT_SECRET=ffs_... \
//     npx tsx scripts/list-sites.ts [search]
//
// (or FLEXFLEET_TOKEN=<bearer token> instead of the client id and secret).
import { pathToFileURL } from "node:url";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";

export interface ListSitesOptions {
  baseUrl: string;
  token: string;
  search?: string;
  limit?: number;
}

/** Exchanges client credentials for a bearer token at the REST token endpoint. */
export async function fetchToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(new URL("/api/v1/auth/token", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
  });
  if (!response.ok) throw new Error(`Token request failed with ${response.status}`);
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

export function trpcClient(baseUrl: string, token: string) {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: new URL("/api/trpc", baseUrl).toString(), transformer: superjson, headers: () => ({ authorization: `Bearer ${token}` }) })],
  });
}

export async function listSitesViaTrpc(options: ListSitesOptions) {
  const client = trpcClient(options.baseUrl, options.token);
  return client.sites.list.query({ limit: options.limit ?? 50, offset: 0, ...(options.search ? { search: options.search } : {}) });
}

async function main(): Promise<void> {
  const baseUrl = process.env.FLEXFLEET_URL ?? "http://localhost:3000";
  const clientId = process.env.FLEXFLEET_CLIENT_ID;
  const clientSecret = process.env.FLEXFLEET_CLIENT_SECRET;
  const token = process.env.FLEXFLEET_TOKEN ?? (clientId && clientSecret ? await fetchToken(baseUrl, clientId, clientSecret) : undefined);
  if (!token) {
    console.error("Set FLEXFLEET_TOKEN, or FLEXFLEET_CLIENT_ID and FLEXFLEET_CLIENT_SECRET (create one with `npm run cli -- create-api-client`).");
    process.exitCode = 2;
    return;
  }
  const page = await listSitesViaTrpc({ baseUrl, token, ...(process.argv[2] ? { search: process.argv[2] } : {}) });
  console.log(`${page.total} site(s)`);
  for (const site of page.items) {
    console.log([site.id, site.mpan, site.postcode, site.streetAddress ?? "", site.assets.map((asset) => asset.externalId).join(",")].join("\t"));
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
