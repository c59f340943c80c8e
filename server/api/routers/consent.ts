// The dashboard's consent, enrolment and offboarding procedures.
import { z } from "zod";
import { consentTimeline } from "@/server/services/consent/consent-ledger";
import { createConsentLink } from "@/server/services/consent/consent-links";
import { sendConsentLink } from "@/server/services/consent/send-consent-link";
import { consentsOverview } from "@/server/services/consent/consents-overview";
import { enrolmentHistory, enrolSite, siteEnrolments, unenrolSite } from "@/server/services/enrolment/enrolment";
import { offboardSite } from "@/server/services/offboarding/offboard-site";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("consent:read");
const write = procedureFor("consent:write");
const siteId = z.guid();
const siteInput = z.object({ siteId });
const reason = z.string().trim().min(1).max(500).optional();

export const consentRouter = createTRPCRouter({
  overview: read.query(({ ctx }) => consentsOverview(ctx.service)),
  timeline: read.input(siteInput).query(({ ctx, input }) => consentTimeline(ctx.service, input)),
  enrolments: read.input(siteInput).query(({ ctx, input }) => siteEnrolments(ctx.service, input)),
  enrolmentHistory: read.input(siteInput).query(({ ctx, input }) => enrolmentHistory(ctx.service, input)),
  enrol: write
    .input(z.object({ siteId, proposition: z.string().max(100), overrideWithdrawal: z.boolean().optional(), reason }))
    .mutation(({ ctx, input }) => enrolSite(ctx.service, input)),
  unenrol: write
    .input(z.object({ siteId, proposition: z.string().max(100), reason }))
    .mutation(({ ctx, input }) => unenrolSite(ctx.service, input)),
  createLink: write
    .input(z.object({ siteId, ttlHours: z.number().positive().max(720).optional() }))
    .mutation(async ({ ctx, input }) => {
      const link = await createConsentLink(ctx.service, input);
      return { url: link.url, expiresAt: link.expiresAt };
    }),
  /** Emails a fresh link to the householder on file and returns it with a QR code for installers. */
  sendLink: write
    .input(z.object({ siteId, reviewBeforeEnrolment: z.boolean().optional() }))
    .mutation(({ ctx, input }) => sendConsentLink(ctx.service, input)),
  offboard: write.input(z.object({ siteId, reason })).mutation(({ ctx, input }) => offboardSite(ctx.service, input)),
});
