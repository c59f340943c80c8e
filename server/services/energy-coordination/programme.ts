// The programme in the energy-coordination dialect, on our enrolment and rewards: a user is eligible
// when one of its sites is eligible for a proposition, enrolled when one of its sites is enrolled;
// enrolling a user enrols each of its sites in the first proposition the site is eligible for
// (through the enrolment service, which records and announces it). Compensation is the reward
// ledger's credits of the current calendar month (UK time) per location.
import { and, asc, eq, gte, inArray, lt, ne, sql } from "drizzle-orm";
import { customers, enrolments, locations, rewardEntries, sites } from "@/db/schema";
import { normaliseMpan } from "@/server/domain/inventory";
import { addLocalDays, localDateOf, instantsOfLocalTime } from "@/server/optimiser/time/zone";
import { authorize } from "../authorize";
import { type ServiceContext } from "../context";
import { precondition } from "../errors";
import { enrolSite, unenrolSite } from "../enrolment/enrolment";
import { pageOfUsers, partnerUserId, requireUser, userSiteIds, type Page, type Paged } from "./inventory";

export interface UserEnrolment {
  userId: string;
  isEnrolled: boolean;
  enrollmentId: string | null;
  enrollmentDate: Date | null;
}

async function enrolledRows(ctx: ServiceContext, siteIds: string[]) {
  if (siteIds.length === 0) return [];
  return ctx.db
    .select({
      id: enrolments.id,
      siteId: enrolments.siteId,
      proposition: enrolments.proposition,
      enrolledAt: enrolments.enrolledAt,
    })
    .from(enrolments)
    .where(
      and(
        eq(enrolments.organisationId, ctx.orgId),
        inArray(enrolments.siteId, siteIds),
        eq(enrolments.state, "enrolled"),
      ),
    )
    .orderBy(asc(enrolments.enrolledAt));
}

export async function getUserEnrolment(ctx: ServiceContext, userId: string): Promise<UserEnrolment> {
  authorize(ctx, "users:read");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const [first] = await enrolledRows(ctx, await userSiteIds(ctx.db, ctx.orgId, customer.id));
  return {
    userId: partnerUserId(customer),
    isEnrolled: first !== undefined,
    enrollmentId: first?.id ?? null,
    enrollmentDate: first?.enrolledAt ?? null,
  };
}

export async function enrolUser(ctx: ServiceContext, userId: string): Promise<UserEnrolment> {
  authorize(ctx, "users:write");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const siteIds = await userSiteIds(ctx.db, ctx.orgId, customer.id);
  const candidates =
    siteIds.length === 0
      ? []
      : await ctx.db
          .select({ id: sites.id, eligible: sites.eligiblePropositions })
          .from(sites)
          .where(and(inArray(sites.id, siteIds), eq(sites.status, "active")));
  const enrollable = candidates.filter((site) => site.eligible.length > 0);
  if (enrollable.length === 0) {
    throw precondition(
      siteIds.length === 0
        ? "The user has no site yet: add a location whose meter point id is a registered site's MPAN."
        : "None of the user's sites is eligible yet: check the site's eligibility for what is missing.",
    );
  }
  await ctx.db.transaction(async (tx) => {
    for (const site of enrollable)
      await enrolSite(
        { ...ctx, db: tx },
        {
          siteId: site.id,
          proposition: site.eligible[0] ?? "",
          reason: "Enrolled through the energy-coordination API",
        },
      );
  });
  return getUserEnrolment(ctx, userId);
}

export async function unenrolUser(ctx: ServiceContext, userId: string): Promise<void> {
  authorize(ctx, "users:write");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const rows = await enrolledRows(ctx, await userSiteIds(ctx.db, ctx.orgId, customer.id));
  await ctx.db.transaction(async (tx) => {
    for (const row of rows)
      await unenrolSite(
        { ...ctx, db: tx },
        {
          siteId: row.siteId,
          proposition: row.proposition,
          reason: "Unenrolled through the energy-coordination API",
        },
      );
  });
}

export async function getUserEligibility(
  ctx: ServiceContext,
  userId: string,
): Promise<{ userId: string; isEligible: boolean }> {
  authorize(ctx, "users:read");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const siteIds = await userSiteIds(ctx.db, ctx.orgId, customer.id);
  const [eligible] =
    siteIds.length === 0
      ? []
      : await ctx.db
          .select({ id: sites.id })
          .from(sites)
          .where(
            and(
              inArray(sites.id, siteIds),
              eq(sites.status, "active"),
              sql`cardinality(${sites.eligiblePropositions}) > 0`,
            ),
          )
          .limit(1);
  return { userId: partnerUserId(customer), isEligible: eligible !== undefined };
}

/** Users with at least one eligible site (linked, or named by one of their locations). */
export async function listEligibleUsers(ctx: ServiceContext, page: Page): Promise<Paged<{ userId: string }>> {
  const eligibleSite = sql`exists (
    select 1 from ${sites} s where s.organisation_id = ${ctx.orgId} and s.status = 'active' and cardinality(s.eligible_propositions) > 0
      and (s.customer_id = ${customers.id} or s.mpan in (select unnest(l.meter_point_ids) from ${locations} l where l.customer_id = ${customers.id})))`;
  return pageOfUsers(ctx, eligibleSite, page);
}

/** Whether a meter point is a registered, active site eligible for a proposition (unknown or malformed: not eligible). */
export async function getMeterPointEligibility(
  ctx: ServiceContext,
  meterPointId: string,
): Promise<{ meterPointId: string; isEligible: boolean }> {
  authorize(ctx, "users:read");
  const mpan = normaliseMpan(meterPointId);
  if (!mpan.ok) return { meterPointId, isEligible: false };
  const [site] = await ctx.db
    .select({ eligible: sites.eligiblePropositions })
    .from(sites)
    .where(and(eq(sites.organisationId, ctx.orgId), eq(sites.mpan, mpan.mpan), eq(sites.status, "active")))
    .limit(1);
  return { meterPointId, isEligible: (site?.eligible.length ?? 0) > 0 };
}

export interface LocationCompensation {
  locationId: string;
  meterPointIds: string[];
  activePence: number;
  blockedPence: number;
  problems: { problemType: "MissingMpidOnLocation"; message: string }[];
}

/** The calendar month (UK time) containing `now`: first day, last day, and its instants. */
export function monthOf(now: Date): { from: string; to: string; start: Date; end: Date } {
  const today = localDateOf(now, "Europe/London");
  const first = `${today.slice(0, 7)}-01`;
  const nextFirst = addLocalDays(first, 32).slice(0, 7) + "-01";
  const last = addLocalDays(nextFirst, -1);
  const startOf = (date: string) =>
    new Date(instantsOfLocalTime(date, 0, "Europe/London")[0] ?? Date.parse(`${date}T00:00:00Z`));
  return { from: first, to: last, start: startOf(first), end: startOf(nextFirst) };
}

/**
 * This month's credits per location: active is credited and released for payment, blocked is still
 * awaiting the operator's approval. Withdrawals are not compensation and are left out.
 */
export async function getUserCompensation(
  ctx: ServiceContext,
  userId: string,
  now = new Date(),
): Promise<{ userId: string; period: { from: string; to: string }; locations: LocationCompensation[] }> {
  authorize(ctx, "users:read");
  const customer = await requireUser(ctx.db, ctx.orgId, userId);
  const month = monthOf(now);
  const rows = await ctx.db
    .select()
    .from(locations)
    .where(and(eq(locations.organisationId, ctx.orgId), eq(locations.customerId, customer.id)))
    .orderBy(asc(locations.createdAt));
  const result: LocationCompensation[] = [];
  for (const location of rows) {
    const [totals] =
      location.meterPointIds.length === 0
        ? []
        : await ctx.db
            .select({
              active: sql<string>`coalesce(sum(case when ${rewardEntries.paymentStatus} <> 'pending_approval' then ${rewardEntries.amountPence} else 0 end), 0)`,
              blocked: sql<string>`coalesce(sum(case when ${rewardEntries.paymentStatus} = 'pending_approval' then ${rewardEntries.amountPence} else 0 end), 0)`,
            })
            .from(rewardEntries)
            .innerJoin(sites, eq(sites.id, rewardEntries.siteId))
            .where(
              and(
                eq(rewardEntries.organisationId, ctx.orgId),
                inArray(sites.mpan, location.meterPointIds),
                ne(rewardEntries.entryType, "withdrawal"),
                gte(rewardEntries.createdAt, month.start),
                lt(rewardEntries.createdAt, month.end),
              ),
            );
    result.push({
      locationId: location.externalId,
      meterPointIds: location.meterPointIds,
      activePence: Number(totals?.active ?? 0),
      blockedPence: Number(totals?.blocked ?? 0),
      problems:
        location.meterPointIds.length === 0
          ? [
              {
                problemType: "MissingMpidOnLocation",
                message: "The location has no meter point id, so no reward can be attributed to it.",
              },
            ]
          : [],
    });
  }
  return { userId: partnerUserId(customer), period: { from: month.from, to: month.to }, locations: result };
}
