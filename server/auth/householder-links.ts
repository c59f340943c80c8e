// Signed, expiring links for householders (no account). The token names a link row, so
// a link can be revoked (offboarding revokes all of a site's links); the HMAC stops
// anyone from forging or altering one. Format: base64url(JSON claims) "." base64url(HMAC-SHA256).
import { createHmac, timingSafeEqual } from "node:crypto";
import { getConfig } from "@/server/config";

export const HOUSEHOLDER_LINK_VERSION = 1;

export interface HouseholderLinkClaims {
  /** Link row id (the nonce). */
  linkId: string;
  orgId: string;
  siteId: string;
  purpose: "consent";
  /** Expiry, unix seconds. */
  exp: number;
  v: number;
}

export type LinkCheck = { ok: true; claims: HouseholderLinkClaims } | { ok: false; reason: "malformed" | "tampered" | "expired" };

function keyFor(secret: string): Buffer {
  // A key derived for this purpose only, so a link signature can never be replayed as a session.
  return createHmac("sha256", secret).update("flexfleet:householder-link").digest();
}

function mac(secret: string, payload: string): Buffer {
  return createHmac("sha256", keyFor(secret)).update(payload).digest();
}

export function signHouseholderLink(claims: Omit<HouseholderLinkClaims, "v">, secret = getConfig().sessionSecret): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, v: HOUSEHOLDER_LINK_VERSION })).toString("base64url");
  return `${payload}.${mac(secret, payload).toString("base64url")}`;
}

function isClaims(value: unknown): value is HouseholderLinkClaims {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.linkId === "string" &&
    typeof v.orgId === "string" &&
    typeof v.siteId === "string" &&
    v.purpose === "consent" &&
    typeof v.exp === "number" &&
    v.v === HOUSEHOLDER_LINK_VERSION
  );
}

export function verifyHouseholderLink(token: string, now: Date = new Date(), secret = getConfig().sessionSecret): LinkCheck {
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  const [payload = "", signature = ""] = parts;
  const given = Buffer.from(signature, "base64url");
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "tampered" };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!isClaims(claims)) return { ok: false, reason: "malformed" };
  if (claims.exp * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}
