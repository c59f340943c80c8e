// Outgoing email. One code path builds every message with nodemailer: with SMTP_URL set it is sent
// through that server; without it (development, tests) nodemailer's stream transport renders the
// same message and it is only captured. Either way the message and its outcome are recorded in
// outbound_emails, which the dashboard's mailbox lists, so nothing leaves a development machine.
import { emailFor } from "../personal-data";
import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import nodemailer from "nodemailer";
import type { Transporter } from "nodemailer";
import { z } from "zod";
import { outboundEmails, type OutboundEmailRow } from "@/db/schema";
import { getConfig } from "@/server/config";
import { log } from "@/server/log";
import type { ServiceContext } from "../context";
import { invalid } from "../errors";
import { isUuid } from "../inventory/records";
import { authorize, can } from "../authorize";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What the message is about, e.g. "grid_event.notice". */
  purpose: string;
  /** With purpose and recipient, makes the send idempotent: the same message is sent once. */
  relatedId?: string;
  metadata?: Record<string, unknown>;
}

export interface MailDeps {
  /** A ready transport (tests); otherwise built from SMTP_URL, or a capturing stream transport. */
  transport?: Transporter;
  smtpUrl?: string | null;
  from?: string;
  now?: Date;
}

const emailAddress = z.email();

let cachedSmtp: { url: string; transport: Transporter } | undefined;

function transportFor(deps: MailDeps): { transport: Transporter; kind: "smtp" | "captured" } {
  if (deps.transport) return { transport: deps.transport, kind: deps.smtpUrl ? "smtp" : "captured" };
  const smtpUrl = deps.smtpUrl === undefined ? getConfig().mail.smtpUrl : (deps.smtpUrl ?? undefined);
  if (!smtpUrl) return { transport: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" }), kind: "captured" };
  if (cachedSmtp?.url !== smtpUrl) cachedSmtp = { url: smtpUrl, transport: nodemailer.createTransport(smtpUrl) };
  return { transport: cachedSmtp.transport, kind: "smtp" };
}

/** Error text without the SMTP URL (it carries the password) or anything after a credential-like token. */
function safeError(e: unknown, smtpUrl: string | undefined): string {
  let message = e instanceof Error ? e.message : "sending failed";
  if (smtpUrl) message = message.split(smtpUrl).join("[smtp server]");
  return message.replace(/\/\/[^@\s/]*@/g, "//[redacted]@").slice(0, 500);
}

/**
 * Sends (or captures) one email and records it. A message already sent or captured for the same
 * purpose, related id and recipient is not sent again; a failed one is retried by calling again.
 */
// eslint-disable-next-line flexfleet/authorize-first -- internal: mail is sent by authorized notices and the householder flows
export async function sendEmail(ctx: ServiceContext, email: OutgoingEmail, deps: MailDeps = {}): Promise<OutboundEmailRow> {
  if (!emailAddress.safeParse(email.to).success) throw invalid("The recipient is not an email address.", [{ path: ["to"], message: "Not an email address." }]);
  if (email.relatedId !== undefined) {
    const [existing] = await ctx.db
      .select()
      .from(outboundEmails)
      .where(
        and(
          eq(outboundEmails.organisationId, ctx.orgId),
          eq(outboundEmails.purpose, email.purpose),
          eq(outboundEmails.relatedId, email.relatedId),
          eq(outboundEmails.toAddress, email.to),
          inArray(outboundEmails.status, ["sent", "captured"]),
        ),
      )
      .limit(1);
    if (existing) return existing;
  }
  const from = deps.from ?? getConfig().mail.from;
  const now = deps.now ?? new Date();
  const { transport, kind } = transportFor(deps);
  let status: "sent" | "captured" | "failed" = kind === "smtp" ? "sent" : "captured";
  let messageId: string | null = null;
  let error: string | null = null;
  try {
    const info = (await transport.sendMail({ from, to: email.to, subject: email.subject, text: email.text, html: email.html })) as { messageId?: string };
    messageId = info.messageId ?? null;
  } catch (e) {
    status = "failed";
    error = safeError(e, deps.smtpUrl ?? getConfig().mail.smtpUrl);
    log.warn({ purpose: email.purpose, relatedId: email.relatedId, error }, "email not sent");
  }
  const [row] = await ctx.db
    .insert(outboundEmails)
    .values({
      organisationId: ctx.orgId,
      toAddress: email.to,
      fromAddress: from,
      subject: email.subject,
      textBody: email.text,
      htmlBody: email.html ?? null,
      purpose: email.purpose,
      relatedId: email.relatedId ?? null,
      transport: kind,
      status,
      messageId,
      error,
      metadata: email.metadata ?? {},
      createdAt: now,
      sentAt: status === "failed" ? null : now,
    })
    .returning();
  if (!row) throw new Error("outbound email insert returned nothing");
  return row;
}

/** One message as the caller may see it: for viewers the address masked and the body withheld. */
export type MailboxItem = OutboundEmailRow & { bodyHidden: boolean };

export interface MailboxPage {
  items: MailboxItem[];
  /** Pass back as `before` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

/** The organisation's outgoing mail, newest first, keyset-paginated by (created_at, id). */
export async function listOutboundEmails(ctx: ServiceContext, input: { limit?: number; before?: string | null; purpose?: string } = {}): Promise<MailboxPage> {
  authorize(ctx, "grid_events:read");
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  let cursor: { at: Date; id: string } | undefined;
  if (input.before) {
    const [at, id] = input.before.split("|");
    const date = at ? new Date(at) : undefined;
    if (!date || Number.isNaN(date.getTime()) || !id || !isUuid(id)) throw invalid("The cursor is malformed.", [{ path: ["before"], message: "Use the nextCursor of the previous page." }]);
    cursor = { at: date, id };
  }
  const rows = await ctx.db
    .select()
    .from(outboundEmails)
    .where(
      and(
        eq(outboundEmails.organisationId, ctx.orgId),
        input.purpose ? eq(outboundEmails.purpose, input.purpose) : undefined,
        cursor ? or(lt(outboundEmails.createdAt, cursor.at), and(eq(outboundEmails.createdAt, cursor.at), lt(outboundEmails.id, cursor.id))) : undefined,
      ),
    )
    .orderBy(desc(outboundEmails.createdAt), desc(outboundEmails.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  // Bodies carry householders' signed links and personal details: operators and admins only.
  const bodyHidden = !can(ctx, "mail:read");
  const items = page.map((row) => (bodyHidden ? { ...row, toAddress: emailFor(ctx, row.toAddress) ?? "", textBody: "", htmlBody: null, bodyHidden } : { ...row, bodyHidden }));
  return { items, nextCursor: rows.length > limit && last ? `${last.createdAt.toISOString()}|${last.id}` : null };
}
