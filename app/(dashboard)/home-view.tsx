"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { createTRPCClient, httpSubscriptionLink } from "@trpc/client";
import superjson from "superjson";
import { LoadVsPriceChart } from "@/components/charts/load-vs-price-chart";
import { StatusPill } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { StatTile } from "@/components/ui/stat-tile";
import { formatDateTime, formatNumber, formatPence, formatQuantity, formatTime, londonZoneName } from "@/components/lib/format";
import type { AppRouter } from "@/server/api/root";
import type { FleetOverview } from "@/server/services/overview/fleet-overview";
import { notOnlineSummary } from "./batteries/labels";

/** Its own client with one link: the home page's live feed is a tRPC subscription over server-sent events. */
function useLiveOverview(initial: FleetOverview): { overview: FleetOverview; live: boolean } {
  const [overview, setOverview] = useState(initial);
  const [live, setLive] = useState(false);
  useEffect(() => {
    const client = createTRPCClient<AppRouter>({ links: [httpSubscriptionLink({ url: "/api/trpc", transformer: superjson })] });
    const subscription = client.overview.live.subscribe(undefined, {
      onStarted: () => setLive(true),
      onData: (next) => setOverview(next),
      onError: () => setLive(false),
      onConnectionStateChange: (state) => setLive(state.state === "pending"),
    });
    return () => subscription.unsubscribe();
  }, []);
  return { overview, live };
}

const kw = (value: number | null) => formatQuantity(value, "kW", 1);

function GridEventCard({ event }: { event: FleetOverview["gridEvent"] }) {
  if (!event) {
    return (
      <Card title="Grid events">
        <EmptyState title="No grid event running or scheduled" description="Create one from the grid events page." />
      </Card>
    );
  }
  const running = event.status === "active" || event.status === "dispatching" || event.status === "restoring";
  const share = event.responseKw !== null && event.targetKw > 0 ? Math.max(0, Math.min(1, event.responseKw / event.targetKw)) : 0;
  return (
    <Card title={running ? "Grid event now" : "Next grid event"} actions={<Link className="text-sm text-indigo-600 hover:underline" href={`/grid-events/${event.id}`}>Open</Link>}>
      <p className="font-medium text-zinc-900 dark:text-zinc-100">{event.name}</p>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {event.direction === "turn_down" ? "Turn-down" : "Turn-up"}, {formatTime(event.startAt)}–{formatTime(event.endAt)} {londonZoneName(event.startAt)} · {event.participants} taking part
      </p>
      <div className="mt-3" data-testid="event-response">
        <div className="flex justify-between text-sm">
          <span>Response {running ? kw(event.responseKw) : "starts at the window"}</span>
          <span>Target {kw(event.targetKw)}</span>
        </div>
        <div className="mt-1 h-2 rounded bg-zinc-100 dark:bg-zinc-800" role="meter" aria-valuemin={0} aria-valuemax={event.targetKw} aria-valuenow={event.responseKw ?? 0} aria-label="Response against target">
          <div className={`h-2 rounded ${event.underDelivering ? "bg-amber-500" : "bg-emerald-500"}`} style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
        {event.underDelivering ? <p className="mt-2 text-sm text-amber-700">Under-delivering: below {kw(event.thresholdKw)}. Open the event to see which batteries dropped out.</p> : null}
      </div>
    </Card>
  );
}

function AttentionList({ attention }: { attention: FleetOverview["attention"] }) {
  return (
    <Card title="Needs attention" description={attention.total > attention.items.length ? `Showing ${attention.items.length} of ${attention.total}` : undefined}>
      {attention.items.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing needs attention.</p>
      ) : (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" data-testid="attention-list">
          {attention.items.map((item, i) => (
            <li key={`${item.href}-${item.kind}-${i}`} className="py-2">
              <Link href={item.href} className="block hover:bg-zinc-50 dark:hover:bg-zinc-900">
                <span className="text-sm font-medium text-indigo-700 dark:text-indigo-400">{item.title}</span>
                <span className="block text-xs text-zinc-500">
                  {item.detail}
                  {item.at ? ` ${formatDateTime(item.at)}` : ""}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function HomeView({ initial }: { initial: FleetOverview }) {
  const { overview, live } = useLiveOverview(initial);
  const { batteries, chargers, rewards } = overview;
  return (
    <>
      <PageHeader
        title="Overview"
        description={`How the fleet is right now · updated ${formatTime(overview.generatedAt)} ${londonZoneName(overview.generatedAt)}`}
        meta={<StatusPill status={live ? "live" : "connecting"} label={live ? "Live" : "Connecting"} tone={live ? "success" : "neutral"} />}
      />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="overview-figures">
        <Link href="/sites"><StatTile label="Sites" value={formatNumber(overview.sites.active, 0)} /></Link>
        <Link href="/batteries">
          <StatTile
            label="Batteries online"
            value={`${formatNumber(batteries.online, 0)} / ${formatNumber(batteries.total, 0)}`}
            hint={notOnlineSummary(batteries) || "All reporting"}
          />
        </Link>
        <StatTile label="Fleet state of charge" value={formatNumber(batteries.socPct, 0)} unit="%" hint={`${formatQuantity(batteries.storedKwh, "kWh", 0)} stored of ${formatQuantity(batteries.capacityKwh, "kWh", 0)}`} />
        <StatTile label="Fleet battery power now" value={formatNumber(batteries.powerKw, 1)} unit="kW" hint={batteries.powerKw >= 0 ? "Positive: charging" : "Negative: discharging"} />
        <Link href="/charging"><StatTile label="Chargers plugged in" value={`${formatNumber(chargers.pluggedIn, 0)} / ${formatNumber(chargers.total, 0)}`} hint={`${formatQuantity(chargers.plannedKwhNext24h, "kWh", 0)} planned in the next 24 h`} /></Link>
        <Link href="/rewards"><StatTile label="Rewards awaiting approval" value={formatPence(rewards.awaitingApprovalPence)} hint={`${formatNumber(rewards.awaitingApprovalEntries, 0)} ledger entries`} /></Link>
      </div>
      <div className="mt-6 grid gap-4 lg:grid-cols-3">
        <div className="space-y-4 lg:col-span-2">
          <GridEventCard event={overview.gridEvent} />
          <Card title="Planned charging, next 24 hours">
            <LoadVsPriceChart
              title="Planned charging against price"
              summary={`${formatQuantity(chargers.plannedKwhNext24h, "kWh", 0)} planned for ${chargers.pluggedIn} plugged-in chargers`}
              periods={chargers.slots.map((s) => ({ start: s.start, kw: s.kwh * 2, priceGbpPerMwh: s.priceGbpPerMwh }))}
              loadLabel="Planned charging"
              priceLabel={chargers.market ? `${chargers.market.charAt(0)}${chargers.market.slice(1).toLowerCase()} price` : "Price"}
              emptyTitle="No charging planned"
              emptyDescription="Plans appear when a charger is plugged in."
            />
          </Card>
        </div>
        <AttentionList attention={overview.attention} />
      </div>
    </>
  );
}
