// Where the platform may send partners' deliveries (webhook and schedule endpoints). A partner URL
// is a server-side request to an address someone typed, so by default it must be https in
// production and may not resolve to loopback, link-local, private or otherwise internal addresses
// (the embedded database, the simulator's admin API, cloud metadata services). An organisation
// setting (`organisations.allow_private_partner_urls`, admins) lifts both rules for local partners:
// the demo organisation has it, so the demo's simulator on loopback works; tests set it.
// Checked when a URL is saved and again before every request (DNS can change in between).
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { eq } from "drizzle-orm";
import { organisations } from "@/db/schema";
import { getConfig } from "@/server/config";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { invalid, notFound } from "../errors";

const internal = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  internal.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  internal.addSubnet(network, prefix, "ipv6");
}

/** Loopback, link-local, private, carrier-grade NAT, multicast or reserved. */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const plain = mapped ?? address;
  const family = isIP(plain);
  if (family === 0) return true;
  return internal.check(plain, family === 6 ? "ipv6" : "ipv4");
}

export type Resolve = (hostname: string) => Promise<string[]>;
const resolveWithDns: Resolve = async (hostname) => (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

export type PartnerUrlCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether a request to `url` is allowed. `unresolvable` says what to do when the name does not
 * resolve: saving an endpoint allows it (the partner may publish DNS later), sending refuses it.
 */
export async function checkPartnerUrl(
  url: string,
  policy: { allowPrivate: boolean; production?: boolean; resolve?: Resolve; unresolvable?: "allow" | "refuse" },
): Promise<PartnerUrlCheck> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, reason: "it is not a valid URL" };
  }
  if (policy.allowPrivate) return { ok: true };
  if ((policy.production ?? getConfig().nodeEnv === "production") && parsed.protocol !== "https:") return { ok: false, reason: "it must use https" };
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = await (policy.resolve ?? resolveWithDns)(host);
    } catch {
      return policy.unresolvable === "refuse" ? { ok: false, reason: `${host} does not resolve` } : { ok: true };
    }
  }
  const blocked = addresses.find(isInternalAddress);
  if (blocked !== undefined) return { ok: false, reason: "it points to a loopback, link-local or private address, which partners' URLs may not use" };
  return { ok: true };
}

export async function partnerUrlPolicy(ctx: ServiceContext): Promise<{ allowPrivate: boolean }> {
  const [org] = await ctx.db.select({ allowPrivate: organisations.allowPrivatePartnerUrls }).from(organisations).where(eq(organisations.id, ctx.orgId));
  if (!org) throw notFound("Organisation");
  return { allowPrivate: org.allowPrivate };
}

/** For saving an endpoint: a validation error on `url` naming the reason and the way out. */
export async function assertPartnerUrlAllowed(ctx: ServiceContext, url: string, resolve?: Resolve): Promise<void> {
  const check = await checkPartnerUrl(url, { ...(await partnerUrlPolicy(ctx)), unresolvable: "allow", ...(resolve ? { resolve } : {}) });
  if (!check.ok) {
    const message = `This URL is not allowed: ${check.reason}. Use the partner's public https address, or ask an admin to allow local partner URLs for this organisation.`;
    throw invalid(message, [{ path: ["url"], message }]);
  }
}

/** Admins only: lets partner URLs be http or internal addresses (local partners, demos, tests). */
export async function setPrivatePartnerUrlsAllowed(ctx: ServiceContext, allowed: boolean): Promise<void> {
  authorize(ctx, "organisation:settings");
  await ctx.db.transaction(async (tx) => {
    await tx.update(organisations).set({ allowPrivatePartnerUrls: allowed }).where(eq(organisations.id, ctx.orgId));
    await recordAuditEvent({ ...ctx, db: tx }, { action: "organisation.partner_url_policy_changed", targetType: "organisation", targetId: ctx.orgId, details: { allowPrivatePartnerUrls: allowed } });
  });
}
