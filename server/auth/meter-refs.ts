// Opaque meter references handed out by GET /meter/search: they name a registry entry without
// revealing the MPAN, only work for the organisation that searched, and expire (a day), so a
// reference is a search result to act on, not a long-lived identifier.
import { z } from "zod";
import { getConfig } from "@/server/config";
import { signToken, SIGNED_TOKEN_VERSION, verifyToken } from "./signed-tokens";

const KEY_LABEL = "flexfleet:meter-ref";
export const METER_REF_TTL_SECONDS = 24 * 3600;

const claimsSchema = z.object({ meterId: z.string(), orgId: z.string(), exp: z.number(), v: z.literal(SIGNED_TOKEN_VERSION) });

export function signMeterRef(claims: { meterId: string; orgId: string }, now: Date, secret = getConfig().sessionSecret): string {
  return signToken(KEY_LABEL, { ...claims, exp: Math.floor(now.getTime() / 1000) + METER_REF_TTL_SECONDS }, secret);
}

/** The registry entry a reference names, or why it cannot be used. */
export function readMeterRef(ref: string, now: Date, secret = getConfig().sessionSecret): { ok: true; meterId: string; orgId: string } | { ok: false; reason: "malformed" | "tampered" | "expired" } {
  const check = verifyToken(KEY_LABEL, ref, claimsSchema, now, secret);
  return check.ok ? { ok: true, meterId: check.claims.meterId, orgId: check.claims.orgId } : check;
}
