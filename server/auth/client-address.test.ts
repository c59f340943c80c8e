import { describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER } from "./client-address";

const request = (peer: string | null, forwardedFor?: string) => {
  const headers = new Headers();
  if (peer !== null) headers.set(PEER_ADDRESS_HEADER, peer);
  if (forwardedFor !== undefined) headers.set("x-forwarded-for", forwardedFor);
  return headers;
};

describe("client address", () => {
  it("ignores X-Forwarded-For when no proxy is trusted: the peer is the client", () => {
    expect(clientAddress(request("203.0.113.9", "1.2.3.4"), [])).toBe("203.0.113.9");
  });

  it("ignores X-Forwarded-For from a peer that is not a trusted proxy", () => {
    expect(clientAddress(request("203.0.113.9", "1.2.3.4"), ["10.0.0.0/8"])).toBe("203.0.113.9");
  });

  it("takes the first untrusted hop from the right behind trusted proxies, whatever the client prepended", () => {
    expect(clientAddress(request("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.0.0.1"), ["10.0.0.0/8"])).toBe("198.51.100.7");
    expect(clientAddress(request("::ffff:127.0.0.1", "198.51.100.7"), ["127.0.0.1"])).toBe("198.51.100.7");
  });

  it("falls back to the peer when the chain holds garbage, and knows nothing without a stamped peer", () => {
    expect(clientAddress(request("10.0.0.2", "not-an-ip"), ["10.0.0.0/8"])).toBe("10.0.0.2");
    expect(clientAddress(request(null, "1.2.3.4"), [])).toBeNull();
  });
});
