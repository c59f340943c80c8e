// Signed, expiring tokens for householder links (consent, charging intent, rewards withdrawal).
// Format: base64url(JSON claims) "." base64url(HMAC-SHA256). Each kind of link signs under a key
// derived from the session secret for that kind only, so one kind's token never verifies as
// another's, nor as a session. Claims carry `exp` (unix seconds) and a format version `v`.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { z } from "zod";

export const SIGNED_TOKEN_VERSION = 1;

export type SignedTokenCheck<Claims> = { ok: true; claims: Claims } | { ok: false; reason: "malformed" | "tampered" | "expired" };

function mac(secret: string, keyLabel: string, payload: string): Buffer {
  const key = createHmac("sha256", secret).update(keyLabel).digest();
  return createHmac("sha256", key).update(payload).digest();
}

/** Signs `claims` (with the format version added) under the key for `keyLabel`. */
export function signToken(keyLabel: string, claims: { exp: number }, secret: string): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, v: SIGNED_TOKEN_VERSION })).toString("base64url");
  return `${payload}.${mac(secret, keyLabel, payload).toString("base64url")}`;
}

/** Checks the signature first, then the claims' shape (`schema` includes `v`), then the expiry. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Only the one spelling signToken writes: unpadded base64url whose unused trailing bits are zero.
 * Node's decoder forgives padding, whitespace, stray characters and odd trailing bits, so several
 * strings would decode to the same bytes; a link is accepted only as it was issued.
 */
export function decodeCanonicalBase64url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : null;
}

export function verifyToken<Schema extends z.ZodType<{ exp: number }>>(
  keyLabel: string,
  token: string,
  schema: Schema,
  now: Date,
  secret: string,
): SignedTokenCheck<z.output<Schema>> {
  const parts = token.split(".");
  if (parts.length !== 2) return { ok: false, reason: "malformed" };
  const [payload = "", signature = ""] = parts;
  const given = decodeCanonicalBase64url(signature);
  const payloadBytes = decodeCanonicalBase64url(payload);
  if (given === null || payloadBytes === null) return { ok: false, reason: "malformed" };
  const expected = mac(secret, keyLabel, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "tampered" };
  let decoded: unknown;
  try {
    decoded = JSON.parse(payloadBytes.toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const parsed = schema.safeParse(decoded);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  if (parsed.data.exp * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, claims: parsed.data };
}
