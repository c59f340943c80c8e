// End-user (component) tokens: what POST /auth/component-token hands a partner for one household.
// A signed, expiring claim naming a component_sessions row (so it can be revoked), under its own
// HMAC key: it never verifies as an API token, a session or another kind of householder link.
import { z } from "zod";
import { getConfig } from "@/server/config";
import { signToken, verifyToken, SIGNED_TOKEN_VERSION, type SignedTokenCheck } from "./signed-tokens";

export interface ComponentTokenClaims {
  /** component_sessions row id. */
  sessionId: string;
  orgId: string;
  customerId: string;
  purpose: "component";
  /** Expiry, unix seconds. */
  exp: number;
  v: number;
}

const KEY_LABEL = "flexfleet:component-token";

const claimsSchema = z.object({
  sessionId: z.uuid(),
  orgId: z.uuid(),
  customerId: z.uuid(),
  purpose: z.literal("component"),
  exp: z.number(),
  v: z.literal(SIGNED_TOKEN_VERSION),
});

export function signComponentToken(claims: Omit<ComponentTokenClaims, "v">, secret = getConfig().sessionSecret): string {
  return signToken(KEY_LABEL, claims, secret);
}

export function verifyComponentToken(token: string, now: Date = new Date(), secret = getConfig().sessionSecret): SignedTokenCheck<ComponentTokenClaims> {
  return verifyToken(KEY_LABEL, token, claimsSchema, now, secret);
}
