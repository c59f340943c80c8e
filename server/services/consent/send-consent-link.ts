// "Send consent link" on the site page: a fresh householder link, emailed to the householder on
// file, with a QR code of the same link for installers who are with the household in person.
import { and, eq } from "drizzle-orm";
import QRCode from "qrcode";
import { organisations, sites } from "@/db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { notFound } from "../errors";
import { isUuid } from "../inventory/records";
import { sendEmail, type MailDeps } from "../mail/mail";
import { createConsentLink, type CreateConsentLinkInput } from "./consent-links";

export const CONSENT_LINK_PURPOSE = "consent.link";

export interface SentConsentLink {
  url: string;
  expiresAt: Date;
  /** The address it was mailed to; null when the site has no email on file (copy or QR only). */
  emailedTo: string | null;
  /** False when the mail server refused it: the link still works and can be copied. */
  emailSent: boolean;
  reviewBeforeEnrolment: boolean;
  /** The link as a QR code, an SVG document. */
  qrCodeSvg: string;
}

const londonDateTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false });

/** The email the householder receives: who asks, what for, the link and how long it works. */
export function consentLinkEmail(input: { organisationName: string; streetAddress: string | null; postcode: string; url: string; expiresAt: Date }): { subject: string; text: string } {
  const home = [input.streetAddress, input.postcode].filter(Boolean).join(", ");
  return {
    subject: `${input.organisationName}: your choices for your home battery and charger`,
    text: [
      "Hello,",
      "",
      `${input.organisationName} would like your agreement to include the equipment at ${home} in its flexibility programme.`,
      "Open this link to read what each option means and to agree or say no. You can change your mind at any time with the same link.",
      "",
      input.url,
      "",
      `The link works until ${londonDateTime.format(input.expiresAt)} (UK time). If you did not expect this email, you can ignore it.`,
    ].join("\n"),
  };
}

/** Creates a consent link for the site, mails it to the householder on file, and returns it with a QR code. */
export async function sendConsentLink(ctx: ServiceContext, input: CreateConsentLinkInput, deps: MailDeps = {}): Promise<SentConsentLink> {
  authorize(ctx, "consent:write");
  if (!isUuid(input.siteId)) throw notFound("Site");
  const [site] = await ctx.db
    .select({ email: sites.email, streetAddress: sites.streetAddress, postcode: sites.postcode, organisationName: organisations.name })
    .from(sites)
    .innerJoin(organisations, eq(organisations.id, sites.organisationId))
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.id, input.siteId)))
    .limit(1);
  if (!site) throw notFound("Site");
  const link = await createConsentLink(ctx, input);
  const qrCodeSvg = await QRCode.toString(link.url, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  if (site.email === null) {
    return { url: link.url, expiresAt: link.expiresAt, emailedTo: null, emailSent: false, reviewBeforeEnrolment: input.reviewBeforeEnrolment ?? false, qrCodeSvg };
  }
  const message = consentLinkEmail({ organisationName: site.organisationName, streetAddress: site.streetAddress, postcode: site.postcode, url: link.url, expiresAt: link.expiresAt });
  const mail = await sendEmail(ctx, { to: site.email, ...message, purpose: CONSENT_LINK_PURPOSE, relatedId: link.linkId, metadata: { siteId: input.siteId, linkId: link.linkId } }, deps);
  await recordAuditEvent(ctx, {
    action: mail.status === "failed" ? "consent_link.email_failed" : "consent_link.emailed",
    targetType: "site",
    targetId: input.siteId,
    // The link id ties it to the creation entry; the address stays in the mailbox, not the audit log.
    details: { linkId: link.linkId, emailId: mail.id },
  });
  return { url: link.url, expiresAt: link.expiresAt, emailedTo: site.email, emailSent: mail.status !== "failed", reviewBeforeEnrolment: input.reviewBeforeEnrolment ?? false, qrCodeSvg };
}
