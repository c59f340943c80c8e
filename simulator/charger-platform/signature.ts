// Verifies the platform's signature on a schedule push, the way a partner would:
//   X-Flexfleet-Timestamp: <unix seconds>
//   X-Flexfleet-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
// Without a timestamp header the signature is taken over the raw body alone. The raw bytes are
// verified before any JSON parsing; the comparison is constant-time.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-flexfleet-signature";
export const TIMESTAMP_HEADER = "x-flexfleet-timestamp";

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export interface SignatureInput {
  /** One secret, or several during a rotation. */
  secrets: readonly string[];
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
  toleranceSeconds: number;
}

export function signSchedulePush(secret: string, rawBody: string, timestampSeconds?: number): string {
  const signed = timestampSeconds === undefined ? rawBody : `${timestampSeconds}.${rawBody}`;
  return `sha256=${createHmac("sha256", secret).update(signed).digest("hex")}`;
}

export function verifySchedulePush(input: SignatureInput): SignatureCheck {
  if (input.signature === undefined || input.signature.trim() === "") return { ok: false, reason: "missing signature header" };
  const hex = input.signature.trim().replace(/^sha256=/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return { ok: false, reason: "signature is not a sha256 hex digest" };
  let signed = input.rawBody;
  if (input.timestamp !== undefined) {
    const seconds = Number(input.timestamp);
    if (!Number.isInteger(seconds)) return { ok: false, reason: "timestamp header is not unix seconds" };
    if (Math.abs(input.nowMs / 1000 - seconds) > input.toleranceSeconds) return { ok: false, reason: "timestamp outside the tolerance window" };
    signed = `${input.timestamp}.${input.rawBody}`;
  }
  const given = Buffer.from(hex, "hex");
  let matched = false;
  for (const secret of input.secrets) {
    const expected = createHmac("sha256", secret).update(signed).digest();
    if (expected.length === given.length && timingSafeEqual(expected, given)) matched = true;
  }
  return matched ? { ok: true } : { ok: false, reason: "signature does not match" };
}
