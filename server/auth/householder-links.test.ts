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

  it("accepts a link only as it was issued: no padding, whitespace, NUL, other alphabets or odd trailing bits", () => {
    const token = signHouseholderLink(claims, secret);
    const [payload = "", signature = ""] = token.split(".");
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = alphabet.indexOf(signature.slice(-1));
    // 32 signature bytes fill 43 characters with 2 bits to spare: flipping a spare bit keeps the bytes.
    const sameBytes = `${signature.slice(0, -1)}${alphabet[last ^ 1] ?? ""}`;
    expect(Buffer.from(sameBytes, "base64url")).toEqual(Buffer.from(signature, "base64url"));
    const variants = [
      `${token}=`,
      `${token}==`,
      `${token} `,
      ` ${token}`,
      `${token}\u0000`,
      `${token}%00`,
      `${payload}.${sameBytes}`,
      `${payload}.${signature.replace(/-/g, "+").replace(/_/g, "/")}${signature.includes("-") || signature.includes("_") ? "" : "+"}`,
      `${payload}=.${signature}`,
      `${payload}.${signature.slice(0, 20)}\n${signature.slice(20)}`,
    ];
    for (const variant of variants) {
      expect(verifyHouseholderLink(variant, new Date(1_900_000_000_000), secret), JSON.stringify(variant)).toEqual({ ok: false, reason: "malformed" });
    }
    expect(verifyHouseholderLink(token, new Date(1_900_000_000_000), secret).ok).toBe(true);
  });
});
