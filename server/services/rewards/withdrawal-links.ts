// Signed, short-lived links to the hosted rewards page, where a householder sees their balance and
// withdraws it to a bank account. A partner asks for one through GET /rewards/{site_id}/url/balance
// and hands it to its user. Each link is a householder_links row with purpose "rewards_withdrawal"
// (so offboarding and revocation cover it); the token carries the link id and the partner's page
// options under an HMAC key derived for this purpose only, so a consent or intent token never opens
// this page, nor this token those.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { householderLinks, sites } from "@/db/schema";
import { SIGNED_TOKEN_VERSION, signToken, verifyToken, type SignedTokenCheck } from "@/server/auth/signed-tokens";
import { getConfig } from "@/server/config";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { createServiceContext, type ServiceContext } from "../context";
import { invalid, notFound, precondition } from "../errors";
import { hidesOffboarded, isUuid } from "../inventory/records";

export const WITHDRAWAL_LINK_PURPOSE = "rewards_withdrawal";
/** Links last an hour: long enough to set up a bank account, short enough to be harmless if forwarded. */
export const WITHDRAWAL_LINK_TTL_MS = 60 * 60 * 1000;
const TOKEN_VERSION = SIGNED_TOKEN_VERSION;

export interface WithdrawalLinkOptions {
  /** Where the page sends the householder when they are done (absolute https URL). */
  redirectUri: string;
  /** Bank setup needs a code emailed to the site's address first. */
  enforceTwoFactorAuth: boolean;
  hideTransactions: boolean;
  /** Open on the bank setup step when the site has no bank account yet. */
  autoRedirectToSetup: boolean;
}

export interface WithdrawalLinkClaims extends WithdrawalLinkOptions {
  linkId: string;
  orgId: string;
  siteId: string;
  purpose: "rewards_withdrawal";
  /** Expiry, unix seconds. */
  exp: number;
  v: number;
}

const KEY_LABEL = "flexfleet:householder-rewards-withdrawal-link";

export function signWithdrawalLinkToken(claims: Omit<WithdrawalLinkClaims, "v">, secret = getConfig().sessionSecret): string {
  return signToken(KEY_LABEL, claims, secret);
}

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Why a redirect URI is refused, or null when it is acceptable: absolute https (http only for localhost), no credentials. */
export function redirectUriProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Must be an absolute URL, e.g. https://app.example.com/rewards/done.";
  }
  if (url.protocol === "http:" && !LOCAL_HOSTS.has(url.hostname)) return "Must use https (http is allowed only for localhost).";
  if (url.protocol !== "https:" && url.protocol !== "http:") return "Must be an https URL.";
  if (url.username !== "" || url.password !== "") return "Must not contain a user name or password.";
  if (value.length > 2000) return "Must be at most 2000 characters.";
  return null;
}

const claimsSchema = z.object({
  linkId: z.string().refine(isUuid),
  orgId: z.string().refine(isUuid),
  siteId: z.string().refine(isUuid),
  purpose: z.literal(WITHDRAWAL_LINK_PURPOSE),
  redirectUri: z.string().refine((value) => redirectUriProblem(value) === null),
  enforceTwoFactorAuth: z.boolean(),
  hideTransactions: z.boolean(),
  autoRedirectToSetup: z.boolean(),
  exp: z.number(),
  v: z.literal(TOKEN_VERSION),
});

export type WithdrawalTokenCheck = SignedTokenCheck<WithdrawalLinkClaims>;

export function verifyWithdrawalLinkToken(token: string, now: Date = new Date(), secret = getConfig().sessionSecret): WithdrawalTokenCheck {
  return verifyToken(KEY_LABEL, token, claimsSchema, now, secret);
}

export interface WithdrawalLink {
  linkId: string;
  token: string;
  /** Absolute URL of the hosted page. */
  url: string;
  expiresAt: Date;
}

export function withdrawalPagePath(token: string): string {
  return `/rewards/withdraw/${token}`;
}

/**
 * Creates a one-hour link to the site's hosted rewards page. Another organisation's site is not
 * found; an offboarded site has nothing to withdraw through a link (its balance is settled by the
 * operator); a redirect URI that is not absolute https (http for localhost) is a 422 on redirect_uri.
 */
export async function createWithdrawalLink(
  ctx: ServiceContext,
  input: { siteId: string; redirectUri: string; enforceTwoFactorAuth?: boolean; hideTransactions?: boolean; autoRedirectToSetup?: boolean },
  now: Date = new Date(),
): Promise<WithdrawalLink> {
  authorize(ctx, "rewards:withdrawal_links");
  const problem = redirectUriProblem(input.redirectUri);
  if (problem !== null) throw invalid("The redirect URI is not acceptable.", [{ path: ["redirect_uri"], message: problem }]);
  if (!isUuid(input.siteId)) throw notFound("Site");
  const [site] = await ctx.db
    .select({ id: sites.id, status: sites.status })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, input.siteId)))
    .limit(1);
  if (!site || (site.status === "offboarded" && hidesOffboarded(ctx))) throw notFound("Site");
  if (site.status === "offboarded") throw precondition("The site has been offboarded; its rewards are settled by the operator.");
  return ctx.db.transaction(async (tx) => {
    const expiresAt = new Date(now.getTime() + WITHDRAWAL_LINK_TTL_MS);
    const [row] = await tx
      .insert(householderLinks)
      .values({ organisationId: ctx.orgId, siteId: site.id, purpose: WITHDRAWAL_LINK_PURPOSE, expiresAt, createdByLabel: ctx.actor.label })
      .returning({ id: householderLinks.id });
    if (!row) throw new Error("householder link insert returned nothing");
    const options: WithdrawalLinkOptions = {
      redirectUri: input.redirectUri,
      enforceTwoFactorAuth: input.enforceTwoFactorAuth ?? false,
      hideTransactions: input.hideTransactions ?? false,
      autoRedirectToSetup: input.autoRedirectToSetup ?? false,
    };
    // The redirect URI is the partner's, not personal data; recorded so support can see what the link did.
    await recordAuditEvent({ ...ctx, db: tx }, { action: "rewards.withdrawal_link.created", targetType: "site", targetId: site.id, details: { linkId: row.id, expiresAt: expiresAt.toISOString(), ...options } });
    const token = signWithdrawalLinkToken({ linkId: row.id, orgId: ctx.orgId, siteId: site.id, purpose: WITHDRAWAL_LINK_PURPOSE, exp: Math.floor(expiresAt.getTime() / 1000), ...options });
    return { linkId: row.id, token, url: `${getConfig().appUrl.replace(/\/$/, "")}${withdrawalPagePath(token)}`, expiresAt };
  });
}

export type WithdrawalLinkProblem = "invalid" | "expired" | "revoked" | "offboarded";

export type OpenedWithdrawalLink =
  | { ok: true; ctx: ServiceContext; claims: WithdrawalLinkClaims; linkId: string; siteId: string; expiresAt: Date }
  | { ok: false; problem: WithdrawalLinkProblem };

/** Checks the token and the link row on every page load and every action; the householder's context on success. */
export async function openWithdrawalLink(token: string, now: Date = new Date()): Promise<OpenedWithdrawalLink> {
  const check = verifyWithdrawalLinkToken(token, now);
  if (!check.ok) return { ok: false, problem: check.reason === "expired" ? "expired" : "invalid" };
  const { claims } = check;
  const ctx = createServiceContext(claims.orgId, { type: "householder", siteId: claims.siteId, label: "householder (rewards link)" });
  const [row] = await ctx.db
    .select({ link: householderLinks, siteStatus: sites.status })
    .from(householderLinks)
    .innerJoin(sites, eq(sites.id, householderLinks.siteId))
    .where(and(eq(householderLinks.id, claims.linkId), eq(householderLinks.organisationId, claims.orgId), eq(householderLinks.siteId, claims.siteId)))
    .limit(1);
  if (!row || row.link.purpose !== WITHDRAWAL_LINK_PURPOSE) return { ok: false, problem: "invalid" };
  if (row.siteStatus === "offboarded") return { ok: false, problem: "offboarded" };
  if (row.link.revokedAt !== null) return { ok: false, problem: "revoked" };
  if (row.link.expiresAt.getTime() <= now.getTime()) return { ok: false, problem: "expired" };
  return { ok: true, ctx, claims, linkId: row.link.id, siteId: claims.siteId, expiresAt: row.link.expiresAt };
}

/**
 * A rewards link an operator makes on the site's rewards page, to hand to the household by phone or
 * email. There is no partner app to go back to, so the page's "Back to the app" leads to this platform.
 */
export async function createRewardsLinkFromDashboard(ctx: ServiceContext, input: { siteId: string }, now: Date = new Date()): Promise<WithdrawalLink> {
  authorize(ctx, "rewards:withdrawal_links");
  return createWithdrawalLink(ctx, { siteId: input.siteId, redirectUri: getConfig().appUrl }, now);
}
