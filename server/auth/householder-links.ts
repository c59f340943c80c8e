// Signed, expiring consent links for householders (no account). The token names a link row, so
// a link can be revoked (offboarding revokes all of a site's links); the HMAC stops anyone from
// forging or altering one (signed-tokens.ts).
import { z } from "zod";
import { getConfig } from "@/server/config";
import { SIGNED_TOKEN_VERSION, signToken, verifyToken, type SignedTokenCheck } from "./signed-tokens";

export const HOUSEHOLDER_LINK_VERSION = SIGNED_TOKEN_VERSION;

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

export type LinkCheck = SignedTokenCheck<HouseholderLinkClaims>;

const KEY_LABEL = "flexfleet:householder-link";

const claimsSchema = z.object({
  linkId: z.string(),
  orgId: z.string(),
  siteId: z.string(),
  purpose: z.literal("consent"),
  exp: z.number(),
  v: z.literal(HOUSEHOLDER_LINK_VERSION),
});

export function signHouseholderLink(claims: Omit<HouseholderLinkClaims, "v">, secret = getConfig().sessionSecret): string {
  return signToken(KEY_LABEL, claims, secret);
}

export function verifyHouseholderLink(token: string, now: Date = new Date(), secret = getConfig().sessionSecret): LinkCheck {
  return verifyToken(KEY_LABEL, token, claimsSchema, now, secret);
}
