// HMAC signatures for the webhooks we send and receive. Pure: the clock comes in as an argument.
//
// Our own scheme for schedule pushes and webhook deliveries (Flexfleet -> partner):
//   X-Flexfleet-Timestamp: <unix seconds>
//   X-Flexfleet-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
// Signing the timestamp together with the raw body stops a captured delivery from being replayed
// later: receivers reject timestamps more than `toleranceSeconds` (default 300) away from their clock.
// Receivers must verify against the raw body bytes, before any JSON parsing.
//
// The other three schemes are the dialects' own, reproduced so that partners moving to us (and our
// simulator) keep their verification code:
//   battery-control webhooks:   x-enode-signature: sha1=<hex HMAC-SHA1(secret, raw body)>
//   dispatch to a partner:      X-Axle-Signature: <hex HMAC-SHA256(secret, event id)>
//   energy-coordination hooks:  X-Payload-Signature: <Base64 HMAC-SHA256(secret, raw body)>
import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureSecret = string | Uint8Array;
export type SignedBody = string | Uint8Array;

export const SCHEDULE_PUSH_SIGNATURE_HEADER = "X-Flexfleet-Signature";
export const SCHEDULE_PUSH_TIMESTAMP_HEADER = "X-Flexfleet-Timestamp";
export const BATTERY_CONTROL_SIGNATURE_HEADER = "x-enode-signature";
export const DISPATCH_SIGNATURE_HEADER = "X-Axle-Signature";
export const ENERGY_COORDINATION_SIGNATURE_HEADER = "X-Payload-Signature";

/** How far a schedule-push timestamp may be from the receiver's clock, either way. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

function hmac(algorithm: "sha1" | "sha256", secret: SignatureSecret, body: SignedBody): Buffer {
  return createHmac(algorithm, secret).update(body).digest();
}

export function signHmacSha256Hex(secret: SignatureSecret, body: SignedBody): string {
  return hmac("sha256", secret, body).toString("hex");
}

export function signHmacSha1Hex(secret: SignatureSecret, body: SignedBody): string {
  return hmac("sha1", secret, body).toString("hex");
}

export function signHmacSha256Base64(secret: SignatureSecret, body: SignedBody): string {
  return hmac("sha256", secret, body).toString("base64");
}

/** Constant-time comparison of two digests; a length difference returns false straight away (lengths are public). */
export function digestsEqual(expected: Buffer, given: Buffer): boolean {
  if (expected.length !== given.length) return false;
  return timingSafeEqual(expected, given);
}

const HEX_PATTERN = /^[0-9a-fA-F]+$/;
const BASE64_PATTERN = /^[A-Za-z0-9+/]+={0,2}$/;

function decodeHex(value: string): Buffer | undefined {
  if (value.length === 0 || value.length % 2 !== 0 || !HEX_PATTERN.test(value)) return undefined;
  return Buffer.from(value, "hex");
}

function decodeBase64(value: string): Buffer | undefined {
  if (value.length === 0 || value.length % 4 !== 0 || !BASE64_PATTERN.test(value)) return undefined;
  return Buffer.from(value, "base64");
}

function secretsOf(secret: SignatureSecret | readonly SignatureSecret[]): readonly SignatureSecret[] {
  return Array.isArray(secret) ? (secret as readonly SignatureSecret[]) : [secret as SignatureSecret];
}

// Every secret is checked (no early exit) so timing does not reveal which one matched during a rotation.
function anySecretMatches(
  secret: SignatureSecret | readonly SignatureSecret[],
  given: Buffer,
  expectedFor: (secret: SignatureSecret) => Buffer,
): boolean {
  let matched = false;
  for (const candidate of secretsOf(secret)) {
    if (digestsEqual(expectedFor(candidate), given)) matched = true;
  }
  return matched;
}

// ---- Our schedule-push / webhook signature ----

export interface SignedHeaders {
  [SCHEDULE_PUSH_TIMESTAMP_HEADER]: string;
  [SCHEDULE_PUSH_SIGNATURE_HEADER]: string;
}

function schedulePushSigningInput(timestamp: string, rawBody: SignedBody): Buffer {
  const bodyBytes = typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : Buffer.from(rawBody);
  return Buffer.concat([Buffer.from(`${timestamp}.`, "utf8"), bodyBytes]);
}

/** Headers that sign a schedule push (or any webhook delivery we make) at instant `now`. */
export function signSchedulePush(secret: SignatureSecret, rawBody: SignedBody, now: Date): SignedHeaders {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const digest = signHmacSha256Hex(secret, schedulePushSigningInput(timestamp, rawBody));
  return { [SCHEDULE_PUSH_TIMESTAMP_HEADER]: timestamp, [SCHEDULE_PUSH_SIGNATURE_HEADER]: `sha256=${digest}` };
}

export type SignatureCheck = { ok: true } | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

export interface VerifySchedulePushInput {
  /** One secret, or several while a secret is being rotated. */
  secret: SignatureSecret | readonly SignatureSecret[];
  rawBody: SignedBody;
  timestampHeader: string | null | undefined;
  signatureHeader: string | null | undefined;
  now: Date;
  toleranceSeconds?: number;
}

export function verifySchedulePush(input: VerifySchedulePushInput): SignatureCheck {
  const { timestampHeader, signatureHeader } = input;
  if (!timestampHeader || !signatureHeader) return { ok: false, reason: "missing" };
  const timestamp = timestampHeader.trim();
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed" };
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(signatureHeader.trim());
  const given = match?.[1] === undefined ? undefined : decodeHex(match[1]);
  if (given === undefined) return { ok: false, reason: "malformed" };
  const tolerance = input.toleranceSeconds ?? DEFAULT_SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(input.now.getTime() / 1000 - Number(timestamp)) > tolerance) return { ok: false, reason: "stale" };
  const signingInput = schedulePushSigningInput(timestamp, input.rawBody);
  const ok = anySecretMatches(input.secret, given, (secret) => hmac("sha256", secret, signingInput));
  return ok ? { ok: true } : { ok: false, reason: "mismatch" };
}

// ---- Battery-control webhooks: x-enode-signature: sha1=<hex> over the raw body ----

export function signBatteryControlWebhook(secret: SignatureSecret, rawBody: SignedBody): string {
  return `sha1=${signHmacSha1Hex(secret, rawBody)}`;
}

export function verifyBatteryControlWebhook(
  secret: SignatureSecret | readonly SignatureSecret[],
  rawBody: SignedBody,
  header: string | null | undefined,
): boolean {
  const match = header ? /^sha1=([0-9a-fA-F]{40})$/.exec(header.trim()) : null;
  const given = match?.[1] === undefined ? undefined : decodeHex(match[1]);
  if (given === undefined) return false;
  return anySecretMatches(secret, given, (candidate) => hmac("sha1", candidate, rawBody));
}

// ---- Dispatch to a partner: X-Axle-Signature = hex HMAC-SHA256 of the event id ----

export function signDispatchEvent(secret: SignatureSecret, eventId: string): string {
  return signHmacSha256Hex(secret, eventId);
}

export function verifyDispatchEvent(
  secret: SignatureSecret | readonly SignatureSecret[],
  eventId: string,
  header: string | null | undefined,
): boolean {
  const value = header?.trim() ?? "";
  const given = value.length === 64 ? decodeHex(value) : undefined;
  if (given === undefined) return false;
  return anySecretMatches(secret, given, (candidate) => hmac("sha256", candidate, eventId));
}

// ---- Energy-coordination webhooks: X-Payload-Signature = Base64 HMAC-SHA256 of the raw body ----

export function signEnergyCoordinationPayload(secret: SignatureSecret, rawBody: SignedBody): string {
  return signHmacSha256Base64(secret, rawBody);
}

export function verifyEnergyCoordinationPayload(
  secret: SignatureSecret | readonly SignatureSecret[],
  rawBody: SignedBody,
  header: string | null | undefined,
): boolean {
  const given = header ? decodeBase64(header.trim()) : undefined;
  if (given === undefined) return false;
  return anySecretMatches(secret, given, (candidate) => hmac("sha256", candidate, rawBody));
}
