// The operator's home page: how the fleet is right now, in one read. Every figure is aggregated
// in SQL (one probe per battery on the newest-reading index, counts and sums over indexed
// columns), so the page costs the same few queries with 10,000 sites as with ten, and the list of
// things needing attention is capped per kind with its total alongside.
import { sql } from "drizzle-orm";
import { getConfig } from "@/server/config";
import { authorize } from "../authorize";
import type { ServiceContext } from "../context";
import { operatorMarket } from "../market-prices/default-market";
import { PROPOSITION_RULES } from "../enrolment/propositions";
import { isProposition } from "@/server/domain/inventory";
import { assessEventResponse } from "@/server/domain/event-response";

const HALF_HOUR_MS = 30 * 60_000;
const DAY_MS = 86_400_000;
/** Items of one kind shown in "needs attention"; the total says how many more there are. */
const ATTENTION_PER_KIND = 5;
/** Withdrawals and failures older than this no longer need attention. */
const RECENT_MS = 7 * DAY_MS;
/** A reading stands for a battery's power for this long in the live response. */
const RESPONSE_FRESH_MS = 5 * 60_000;

export type AttentionKind = "stale_battery" | "credential_rejected" | "credential_expiring" | "failed_delivery" | "consent_withdrawn" | "restore_failed" | "under_delivery";

export interface AttentionItem {
  kind: AttentionKind;
  /** What needs attention, in words. */
  title: string;
  /** Why, or since when. */
  detail: string;
  href: string;
  at: string | null;
}

export interface PlannedChargingSlot {
  start: string;
  kwh: number;
  priceGbpPerMwh: number | null;
}

export interface OverviewGridEvent {
  id: string;
  name: string;
  direction: "turn_down" | "turn_up";
  status: string;
  startAt: string;
  endAt: string;
  targetKw: number;
  participants: number;
  /** Battery power in the event direction now, kW; null before the event or without fresh readings. */
  responseKw: number | null;
  /** Below this response the event is under-delivering, kW. */
  thresholdKw: number;
  underDelivering: boolean;
}

export interface FleetOverview {
  generatedAt: string;
  sites: { active: number };
  batteries: {
    total: number;
    online: number;
    stale: number;
    noCredential: number;
    /** Energy-weighted state of charge of the online batteries, %. */
    socPct: number | null;
    storedKwh: number;
    capacityKwh: number;
    /** Sum of the online batteries' power now, kW (positive charging). */
    powerKw: number;
  };
  chargers: { total: number; pluggedIn: number; plannedKwhNext24h: number; slots: PlannedChargingSlot[]; market: string | null };
  gridEvent: OverviewGridEvent | null;
  rewards: { awaitingApprovalPence: number; awaitingApprovalEntries: number };
  attention: { items: AttentionItem[]; total: number };
}

type Row = Record<string, unknown>;
const num = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
const iso = (value: unknown): string | null => (value === null || value === undefined ? null : new Date(value as string | Date).toISOString());
const round = (value: number, places = 1) => Math.round(value * 10 ** places) / 10 ** places;

/** Each battery with its credential, last sight and newest reading (one index probe per battery). */
function batteryStateSql(orgId: string) {
  return sql`
    select a.id, a.site_id, a.external_id,
      case when jsonb_typeof(a.properties->'capacity_kwh') = 'number' then (a.properties->>'capacity_kwh')::float8 end as capacity,
      c.id is not null as has_credential,
      coalesce(p.last_success_at, r.received_at) as last_seen,
      r.soc_pct, r.battery_power_kw
    from assets a
    left join oem_credentials c on c.site_id = a.site_id
    left join battery_poll_states p on p.asset_id = a.id
    left join lateral (
      select br.soc_pct, br.battery_power_kw, br.received_at from battery_readings br
      where br.asset_id = a.id order by br.observed_at desc limit 1
    ) r on true
    where a.organisation_id = ${orgId} and a.type = 'battery'`;
}

/** The stale batteries the attention list names, oldest sight first. */
interface StaleBatteries {
  rows: Row[];
  total: number;
}

/** The battery figures and the stale batteries to name, from one pass over the fleet's newest readings. */
async function batteryFigures(ctx: ServiceContext, staleCut: Date): Promise<{ figures: FleetOverview["batteries"]; stale: StaleBatteries }> {
  const [row] = await ctx.db.execute<Row>(sql`
    with b as (${batteryStateSql(ctx.orgId)}),
    s as (select *, coalesce(has_credential and last_seen >= ${staleCut.toISOString()}::timestamptz, false) as online from b)
    select count(*)::int as total,
      count(*) filter (where not has_credential)::int as no_credential,
      count(*) filter (where online)::int as online,
      coalesce(sum(capacity * soc_pct / 100) filter (where online), 0)::float8 as stored,
      coalesce(sum(capacity) filter (where online and soc_pct is not null), 0)::float8 as capacity,
      coalesce(sum(battery_power_kw) filter (where online), 0)::float8 as power,
      (select coalesce(json_agg(x), '[]'::json) from (
        select id, external_id, last_seen from s where has_credential and not online
        order by last_seen asc nulls first limit ${ATTENTION_PER_KIND}) x) as stale
    from s`);
  const total = num(row?.total);
  const online = num(row?.online);
  const noCredential = num(row?.no_credential);
  const capacityKwh = num(row?.capacity);
  const storedKwh = num(row?.stored);
  const stale = total - online - noCredential;
  return {
    figures: {
      total,
      online,
      stale,
      noCredential,
      socPct: capacityKwh > 0 ? round((storedKwh / capacityKwh) * 100) : null,
      storedKwh: round(storedKwh),
      capacityKwh: round(capacityKwh),
      powerKw: round(num(row?.power), 2),
    },
    stale: { rows: Array.isArray(row?.stale) ? (row.stale as Row[]) : [], total: stale },
  };
}

async function chargerFigures(ctx: ServiceContext, now: Date): Promise<FleetOverview["chargers"]> {
  const from = new Date(Math.floor(now.getTime() / HALF_HOUR_MS) * HALF_HOUR_MS);
  const to = new Date(from.getTime() + DAY_MS);
  const [counts] = await ctx.db.execute<Row>(sql`
    select (select count(*) from assets where organisation_id = ${ctx.orgId} and type = 'charger')::int as total,
      (select count(*) from charging_sessions where organisation_id = ${ctx.orgId} and plugged_out_at is null)::int as plugged_in`);
  // The newest plan of every open session, its slots summed per half hour.
  const planned = await ctx.db.execute<Row>(sql`
    with latest as (
      select distinct on (p.session_id) p.slots
      from charging_plans p
      join charging_sessions s on s.id = p.session_id and s.plugged_out_at is null
      where s.organisation_id = ${ctx.orgId}
      order by p.session_id, p.version desc
    )
    select date_bin('30 minutes', (e->>'start')::timestamptz, timestamptz '2000-01-01T00:00:00Z') as slot, sum((e->>'kwh')::float8)::float8 as kwh
    from latest, jsonb_array_elements(latest.slots) e
    where (e->>'start')::timestamptz >= ${from.toISOString()}::timestamptz and (e->>'start')::timestamptz < ${to.toISOString()}::timestamptz
    group by 1`);
  const market = await operatorMarket(ctx.db, ctx.orgId);
  const prices = market
    ? await ctx.db.execute<Row>(sql`
        select slot_start, price_gbp_per_mwh from market_prices
        where organisation_id = ${ctx.orgId} and market = ${market} and slot_start >= ${from.toISOString()}::timestamptz and slot_start < ${to.toISOString()}::timestamptz`)
    : [];
  const kwhBySlot = new Map(planned.map((r) => [new Date(r.slot as string).getTime(), num(r.kwh)]));
  const priceBySlot = new Map(prices.map((r) => [new Date(r.slot_start as string).getTime(), num(r.price_gbp_per_mwh)]));
  const slots: PlannedChargingSlot[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += HALF_HOUR_MS) {
    slots.push({ start: new Date(t).toISOString(), kwh: round(kwhBySlot.get(t) ?? 0, 2), priceGbpPerMwh: priceBySlot.get(t) ?? null });
  }
  return {
    total: num(counts?.total),
    pluggedIn: num(counts?.plugged_in),
    plannedKwhNext24h: round(slots.reduce((sum, s) => sum + s.kwh, 0)),
    slots,
    market,
  };
}

async function gridEventNow(ctx: ServiceContext, now: Date): Promise<OverviewGridEvent | null> {
  // The running event first; otherwise the next committed one.
  const [event] = await ctx.db.execute<Row>(sql`
    select id, name, direction, status, start_at, end_at, target_kw from grid_events
    where organisation_id = ${ctx.orgId}
      and (status in ('dispatching', 'active', 'restoring') or (status = 'scheduled' and end_at > ${now.toISOString()}::timestamptz))
    order by (status in ('dispatching', 'active', 'restoring')) desc, start_at asc
    limit 1`);
  if (!event) return null;
  const direction = event.direction === "turn_up" ? "turn_up" : "turn_down";
  const startAt = new Date(event.start_at as string);
  const endAt = new Date(event.end_at as string);
  const running = startAt.getTime() <= now.getTime() && now.getTime() < endAt.getTime();
  const freshFrom = new Date(now.getTime() - RESPONSE_FRESH_MS).toISOString();
  // Each participating battery's newest reading up to now (the event page's chart reads the same way).
  const [response] = await ctx.db.execute<Row>(sql`
    select count(*)::int as participants,
      sum(r.battery_power_kw) filter (where r.observed_at >= ${freshFrom}::timestamptz)::float8 as power,
      count(r.observed_at) filter (where r.observed_at >= ${freshFrom}::timestamptz)::int as fresh
    from grid_event_participants gp
    left join lateral (
      select br.battery_power_kw, br.observed_at from battery_readings br
      where br.asset_id = gp.asset_id and gp.control = 'oem_action' and br.observed_at <= ${now.toISOString()}::timestamptz
      order by br.observed_at desc limit 1
    ) r on true
    where gp.organisation_id = ${ctx.orgId} and gp.event_id = ${event.id as string}`);
  // "+ 0" turns the -0 of a silent turn-down into 0.
  const responseKw = running && num(response?.fresh) > 0 ? round((direction === "turn_down" ? -1 : 1) * num(response?.power), 2) + 0 : null;
  const targetKw = num(event.target_kw);
  const { underDelivering, thresholdKw } = assessEventResponse({ status: String(event.status), startAt, endAt, targetKw, responseKw, now });
  return {
    id: event.id as string,
    name: event.name as string,
    direction,
    status: event.status as string,
    startAt: startAt.toISOString(),
    endAt: endAt.toISOString(),
    targetKw,
    participants: num(response?.participants),
    responseKw,
    thresholdKw,
    underDelivering,
  };
}

async function rewardFigures(ctx: ServiceContext): Promise<FleetOverview["rewards"]> {
  const [row] = await ctx.db.execute<Row>(sql`
    select coalesce(sum(amount_pence), 0)::int as pence, count(*)::int as entries
    from reward_entries where organisation_id = ${ctx.orgId} and payment_status = 'pending_approval'`);
  return { awaitingApprovalPence: num(row?.pence), awaitingApprovalEntries: num(row?.entries) };
}

function consentKindName(kind: string): string {
  if (kind === "boundary_meter") return "boundary-meter data";
  return isProposition(kind) ? PROPOSITION_RULES[kind].name : kind.replace(/_/g, " ");
}

/** Each kind's newest few items and its total, in one query per kind. */
async function attentionItems(ctx: ServiceContext, now: Date, stale: StaleBatteries, event: OverviewGridEvent | null): Promise<FleetOverview["attention"]> {
  const recent = new Date(now.getTime() - RECENT_MS).toISOString();
  const warnBy = new Date(now.getTime() + getConfig().batteries.credentialExpiryWarningDays * DAY_MS).toISOString();
  // Each kind is its own small query; they run side by side.
  const kinds: Promise<{ rows: Row[]; total: number; toItem: (row: Row) => AttentionItem }>[] = [];
  /** Rows of one kind, each carrying the kind's total (count(*) over ()). */
  const take = (rows: Promise<Row[]>, toItem: (row: Row) => AttentionItem) => kinds.push(rows.then((r) => ({ rows: r, total: num(r[0]?.total), toItem })));

  // The stale batteries come with the battery figures (one pass over the fleet's newest readings).
  kinds.push(
    Promise.resolve({
      ...stale,
      toItem: (r: Row): AttentionItem => ({ kind: "stale_battery", title: `Battery ${String(r.external_id)} is not reporting`, detail: r.last_seen ? "No reading since" : "Never read", href: `/batteries/${String(r.id)}`, at: iso(r.last_seen) }),
    }),
  );
  take(
    ctx.db.execute<Row>(sql`
      select c.site_id, c.oem, c.status, c.expires_at, c.rejected_reason, coalesce(s.street_address, s.postcode) as place, count(*) over ()::int as total
      from oem_credentials c join sites s on s.id = c.site_id
      where c.organisation_id = ${ctx.orgId} and (c.status = 'rejected' or c.expires_at < ${warnBy}::timestamptz)
      order by (c.status = 'rejected') desc, c.expires_at asc nulls last limit ${ATTENTION_PER_KIND}`),
    (r) =>
      r.status === "rejected"
        ? { kind: "credential_rejected", title: `OEM credential refused at ${String(r.place)}`, detail: "The OEM no longer accepts it: ask the household for a new one", href: `/sites/${String(r.site_id)}`, at: null }
        : { kind: "credential_expiring", title: `OEM credential expiring at ${String(r.place)}`, detail: new Date(String(r.expires_at)).getTime() <= now.getTime() ? "Expired" : "Expires", href: `/sites/${String(r.site_id)}`, at: iso(r.expires_at) },
  );
  take(
    ctx.db.execute<Row>(sql`
      select d.session_id, a.external_id, d.updated_at, count(*) over ()::int as total
      from schedule_deliveries d join assets a on a.id = d.asset_id
      where d.organisation_id = ${ctx.orgId} and d.status = 'failed' and d.updated_at >= ${recent}::timestamptz
      order by d.updated_at desc limit ${ATTENTION_PER_KIND}`),
    (r) => ({ kind: "failed_delivery", title: `Charging schedule not delivered to ${String(r.external_id)}`, detail: "Gave up after retries", href: `/charging/sessions/${String(r.session_id)}`, at: iso(r.updated_at) }),
  );
  take(
    ctx.db.execute<Row>(sql`
      select w.event_type, w.created_at, count(*) over ()::int as total
      from webhook_deliveries w
      where w.organisation_id = ${ctx.orgId} and w.status = 'failed' and w.created_at >= ${recent}::timestamptz
      order by w.created_at desc limit ${ATTENTION_PER_KIND}`),
    (r) => ({ kind: "failed_delivery", title: "Partner notification not delivered", detail: `A ${String(r.event_type).replace(/[_:.]+/g, " ")} notification failed`, href: "/settings/webhooks", at: iso(r.created_at) }),
  );
  take(
    ctx.db.execute<Row>(sql`
      select c.site_id, c.kind, c.occurred_at, coalesce(s.street_address, s.postcode) as place, count(*) over ()::int as total
      from consent_records c join sites s on s.id = c.site_id
      where c.organisation_id = ${ctx.orgId} and c.action = 'withdrawn' and c.recorded_at >= ${recent}::timestamptz
      order by c.recorded_at desc limit ${ATTENTION_PER_KIND}`),
    (r) => ({ kind: "consent_withdrawn", title: `${String(r.place)} withdrew consent`, detail: `For ${consentKindName(String(r.kind))}`, href: `/sites/${String(r.site_id)}`, at: iso(r.occurred_at) }),
  );
  take(
    ctx.db.execute<Row>(sql`
      select e.id, e.name, a.external_id, e.end_at, count(*) over ()::int as total
      from grid_event_participants gp join grid_events e on e.id = gp.event_id join assets a on a.id = gp.asset_id
      where gp.organisation_id = ${ctx.orgId} and gp.status = 'restore_failed' and e.end_at >= ${recent}::timestamptz
      order by e.end_at desc limit ${ATTENTION_PER_KIND}`),
    (r) => ({ kind: "restore_failed", title: `Battery ${String(r.external_id)} was not put back after ${String(r.name)}`, detail: "It may still be in event mode", href: `/grid-events/${String(r.id)}`, at: iso(r.end_at) }),
  );
  const items: AttentionItem[] = [];
  let total = 0;
  for (const { rows, total: ofKind, toItem } of await Promise.all(kinds)) {
    total += ofKind;
    items.push(...rows.map(toItem));
  }
  if (event?.underDelivering) {
    total += 1;
    items.unshift({
      kind: "under_delivery",
      title: `${event.name} is under-delivering`,
      detail:
        event.responseKw === null
          ? `No participating battery has reported for ${RESPONSE_FRESH_MS / 60_000} minutes; target ${event.targetKw.toFixed(1)} kW`
          : `${event.responseKw.toFixed(1)} kW of the ${event.targetKw.toFixed(1)} kW target`,
      href: `/grid-events/${event.id}`,
      at: null,
    });
  }
  return { items, total };
}

export async function getFleetOverview(ctx: ServiceContext, now = new Date()): Promise<FleetOverview> {
  authorize(ctx, "sites:read");
  const staleCut = new Date(now.getTime() - getConfig().batteries.staleAfterSeconds * 1000);
  const [sitesRow] = await ctx.db.execute<Row>(sql`select count(*)::int as active from sites where organisation_id = ${ctx.orgId} and status = 'active'`);
  const [{ figures: batteries, stale }, chargers, gridEvent, rewards] = await Promise.all([batteryFigures(ctx, staleCut), chargerFigures(ctx, now), gridEventNow(ctx, now), rewardFigures(ctx)]);
  // After the event: an under-delivering one heads the list.
  const attention = await attentionItems(ctx, now, stale, gridEvent);
  return { generatedAt: now.toISOString(), sites: { active: num(sitesRow?.active) }, batteries, chargers, gridEvent, rewards, attention };
}

