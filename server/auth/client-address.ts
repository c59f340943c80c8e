// Who is on the other end of a request, for rate limits and consent evidence. Next.js hands route
// handlers only headers, and it keeps a client-sent X-Forwarded-For as it is, so a client could
// name any address. The server process therefore stamps each request with the socket's own peer
// address (installPeerAddressStamp, from instrumentation.ts), overwriting whatever a client sent
// under that name; X-Forwarded-For is believed only when that peer is a configured proxy
// (TRUSTED_PROXIES), and then only up to the first hop that is not one of them.
import http from "node:http";
import { BlockList, isIP } from "node:net";
import { getConfig } from "@/server/config";

export const PEER_ADDRESS_HEADER = "x-flexfleet-peer-address";

/** `::ffff:127.0.0.1` is the IPv4 address 127.0.0.1 seen through an IPv6 socket. */
export function normaliseAddress(address: string): string {
  const trimmed = address.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped?.[1] ?? trimmed;
}

export function stampPeerAddress(request: http.IncomingMessage): void {
  const peer = request.socket.remoteAddress;
  if (peer) request.headers[PEER_ADDRESS_HEADER] = normaliseAddress(peer);
  else delete request.headers[PEER_ADDRESS_HEADER];
}

let installed = false;

/** Every HTTP server in this process stamps its requests before any listener (Next's) sees them. */
export function installPeerAddressStamp(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function stampingEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request" && args[0] instanceof http.IncomingMessage) stampPeerAddress(args[0]);
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}

export function trustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

function isTrusted(list: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
}

let cachedList: { entries: string[]; list: BlockList } | undefined;

/**
 * The client's address, or null when the request did not come through a stamping server
 * (in-process calls in tests). `trustedProxies` defaults to TRUSTED_PROXIES.
 */
export function clientAddress(headers: Headers, trustedProxies: string[] = getConfig().trustedProxies): string | null {
  const peer = normaliseAddress(headers.get(PEER_ADDRESS_HEADER) ?? "");
  if (isIP(peer) === 0) return null;
  if (trustedProxies.length === 0) return peer;
  if (cachedList?.entries !== trustedProxies) cachedList = { entries: trustedProxies, list: trustedProxyList(trustedProxies) };
  const list = cachedList.list;
  if (!isTrusted(list, peer)) return peer;
  // Walk the chain from the nearest hop back; the first address that is not our proxy is the client.
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map(normaliseAddress)
    .filter((hop) => hop !== "");
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? "";
    if (isIP(hop) === 0) return peer;
    if (!isTrusted(list, hop)) return hop;
  }
  return hops[0] ?? peer;
}
