// Householder emails about a grid event: one notice per site with an email on record, before the
// event (sent at commit and again, idempotently, at dispatch), and a cancellation to whoever got
// a notice. Sends go through the mail service, so without SMTP they are captured, not sent.
import { and, eq, inArray } from "drizzle-orm";
import { gridEventParticipants, outboundEmails, sites } from "@/db/schema";
import { log } from "@/server/log";
import type { ServiceContext } from "../context";
import { sendEmail, type MailDeps } from "../mail/mail";
import type { GridEvent } from "./events";

export const NOTICE_PURPOSE = "grid_event.notice";
export const CANCELLED_PURPOSE = "grid_event.cancelled";

const londonTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hour12: false });
const londonDate = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", weekday: "long", day: "numeric", month: "long" });

function windowText(event: GridEvent): string {
  return `${londonDate.format(event.startAt)}, ${londonTime.format(event.startAt)} to ${londonTime.format(event.endAt)} (UK time)`;
}

export function noticeEmail(event: GridEvent, assetTypes: readonly string[]): { subject: string; text: string } {
  const what = event.direction === "turn_down" ? "use less power from the grid (your battery may export and charging may pause)" : "use more power from the grid (your battery may charge and charging may speed up)";
  const devices = [...new Set(assetTypes)].map((t) => (t === "charger" ? "EV charger" : t)).join(" and ");
  return {
    subject: `Grid event on ${londonDate.format(event.startAt)}: your ${devices} will help balance the grid`,
    text: [
      "Hello,",
      "",
      `Your ${devices} will take part in a grid event on ${windowText(event)}.`,
      `During the event it will ${what}. Afterwards it goes back to how it was set up before.`,
      "You will be rewarded for the flexibility your home provides.",
      "",
      "You do not need to do anything. If you need your battery or car differently during this time, contact your energy provider.",
    ].join("\n"),
  };
}

/** Sends the notice to every participating site with an email; returns how many messages are on record (sent or captured). */
// eslint-disable-next-line flexfleet/authorize-first -- internal: mail sent by an authorized dispatch commit or the executor
export async function notifyHouseholders(ctx: ServiceContext, event: GridEvent, deps: MailDeps = {}): Promise<number> {
  const rows = await ctx.db
    .select({ siteId: sites.id, email: sites.email, assetType: gridEventParticipants.assetType })
    .from(gridEventParticipants)
    .innerJoin(sites, eq(sites.id, gridEventParticipants.siteId))
    .where(and(eq(gridEventParticipants.organisationId, ctx.orgId), eq(gridEventParticipants.eventId, event.id)));
  const bySite = new Map<string, { email: string; types: string[] }>();
  for (const r of rows) {
    if (!r.email) continue;
    const entry = bySite.get(r.siteId) ?? { email: r.email, types: [] };
    entry.types.push(r.assetType);
    bySite.set(r.siteId, entry);
  }
  let sent = 0;
  for (const [siteId, { email, types }] of bySite) {
    try {
      const message = noticeEmail(event, types);
      const row = await sendEmail(ctx, { to: email, ...message, purpose: NOTICE_PURPOSE, relatedId: event.id, metadata: { eventId: event.id, siteId } }, deps);
      if (row.status !== "failed") sent += 1;
    } catch (e) {
      // One bad address must not stop the others; the next sweep tries again.
      log.warn({ eventId: event.id, siteId, err: e instanceof Error ? e.message : String(e) }, "grid event notice not sent");
    }
  }
  return sent;
}

/** Tells everyone who received a notice that the event is off. */
// eslint-disable-next-line flexfleet/authorize-first -- internal: mail sent by an authorized cancellation or the executor
export async function notifyCancellation(ctx: ServiceContext, event: GridEvent, deps: MailDeps = {}): Promise<number> {
  const notices = await ctx.db
    .select({ to: outboundEmails.toAddress, metadata: outboundEmails.metadata })
    .from(outboundEmails)
    .where(and(eq(outboundEmails.organisationId, ctx.orgId), eq(outboundEmails.purpose, NOTICE_PURPOSE), eq(outboundEmails.relatedId, event.id), inArray(outboundEmails.status, ["sent", "captured"])));
  let sent = 0;
  for (const notice of notices) {
    const row = await sendEmail(
      ctx,
      {
        to: notice.to,
        subject: `Grid event on ${londonDate.format(event.startAt)} cancelled`,
        text: ["Hello,", "", `The grid event planned for ${windowText(event)} has been cancelled. Your devices carry on as usual.`].join("\n"),
        purpose: CANCELLED_PURPOSE,
        relatedId: event.id,
        metadata: notice.metadata,
      },
      deps,
    ).catch(() => null);
    if (row && row.status !== "failed") sent += 1;
  }
  return sent;
}
