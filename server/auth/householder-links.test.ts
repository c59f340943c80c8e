import { describe, expect, it } from "vitest";
import { signHouseholderLink, verifyHouseholderLink } from "./householder-links";

const secret = "a-test-secret-of-sufficient-length-0123456789";
const claims = { linkId: "11111111-1111-4111-8111-111111111111", orgId: "o", siteId: "s", purpose: "consent" as const, exp: 2_000_000_000 };

describe("householder links", () => {
  it("verifies a link it signed until it expires", () => {
    const token = signHouseholderLink(claims, secret);
    expect(verifyHouseholderLink(token, new Date(1_900_000_000_000), secret)).toEqual({ ok: true, claims: { ...claims, v: 1 } });
    expect(verifyHouseholderLink(token, new Date(2_000_000_000_000), secret)).toEqual({ ok: false, reason: "expired" });
  });

  it("rejects tampered claims, signatures, other secrets and garbage", () => {
    const token = signHouseholderLink(claims, secret);
    const [, signature] = token.split(".");
    const forged = `${Buffer.from(JSON.stringify({ ...claims, siteId: "other", v: 1 })).toString("base64url")}.${signature ?? ""}`;
    expect(verifyHouseholderLink(forged, new Date(0), secret)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyHouseholderLink(`${token}x`, new Date(0), secret).ok).toBe(false);
    expect(verifyHouseholderLink(token, new Date(0), `${secret}-other`)).toEqual({ ok: false, reason: "tampered" });
    expect(verifyHouseholderLink("nonsense", new Date(0), secret)).toEqual({ ok: false, reason: "malformed" });
  });
});
