"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { TimeSeriesChart, type TimeSeriesDefinition, type TimeSeriesPoint } from "@/components/charts/time-series-chart";
import { formatDateTime, formatNumber, formatPence } from "@/components/lib/format";
import type { Tone } from "@/components/lib/tone";
import { Badge, StatusPill } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/skeleton";
import { StatTile } from "@/components/ui/stat-tile";
import { Timeline, type TimelineItem } from "@/components/ui/timeline";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import type { AppRouter } from "@/server/api/root";
import { useRole } from "../../../role-context";
import { CHARGING_REFRESH_MS, chargingEventLabel, DELIVERY_TONE, sourceLabel, triggerLabel } from "../../labels";
import { IntentLinkCard } from "./intent-link-card";

type SessionTimeline = inferRouterOutputs<AppRouter>["chargingViews"]["session"];
type Entry = SessionTimeline["entries"][number];

// Older plan versions fade; the chart keeps the last few so it stays readable.
const PLAN_COLORS = ["var(--color-zinc-400)", "var(--color-indigo-400)", "var(--color-indigo-500)", "var(--color-indigo-600)", "var(--color-indigo-800)"];
const MAX_PLAN_SERIES = 5;
const HALF_HOUR_MS = 30 * 60_000;

function describeEntry(entry: Entry): { title: ReactNode; body?: ReactNode; tone: Tone; meta?: ReactNode } {
  switch (entry.kind) {
    case "plug_in":
      return { title: "Plugged in", tone: "info", meta: entry.source ? `via ${sourceLabel(entry.source)}` : undefined };
    case "plug_out":
      return { title: "Plugged out", tone: "neutral", meta: entry.source ? `via ${sourceLabel(entry.source)}` : undefined };
    case "event":
      return { title: chargingEventLabel(entry.eventType), tone: "neutral", meta: `via ${sourceLabel(entry.source)}` };
    case "intent":
      return {
        title: `Intent v${entry.version}: ${formatNumber(entry.energyRequiredKwh)} kWh by ${entry.readyByLocalTime}`,
        body: `${entry.chargingMode === "minimise_charging_time" ? "Stop at the kWh" : "kWh is a minimum"}${entry.mayChargePeak ? " · may charge at peak" : ""}`,
        tone: "info",
        meta: `from ${sourceLabel(entry.source)}`,
      };
    case "plan":
      return {
        title: `Plan v${entry.version} after ${triggerLabel(entry.trigger)}`,
        body: `${formatNumber(entry.energyKwh)} kWh for ${formatPence(entry.costPence)}, saving ${formatPence(entry.savingPence)}${entry.met ? "" : " · cannot meet the kWh"}`,
        tone: entry.met ? "success" : "warning",
      };
    case "delivery":
      return {
        title: `Delivery of plan v${entry.planVersion}`,
        body: (
          <span className="inline-flex flex-wrap items-center gap-2">
            <StatusPill status={entry.status} tone={DELIVERY_TONE[entry.status] ?? "neutral"} />
            {entry.attempts} attempt{entry.attempts === 1 ? "" : "s"}
            {entry.deliveredAt ? ` · delivered ${formatDateTime(entry.deliveredAt)}` : ""}
            {entry.lastError ? ` · ${entry.lastError}` : ""}
          </span>
        ),
        tone: DELIVERY_TONE[entry.status] ?? "neutral",
      };
    case "delivery_attempt": {
      const succeeded = entry.error === null && entry.httpStatus !== null && entry.httpStatus < 300;
      return {
        title: `Push attempt for plan v${entry.planVersion}: ${entry.httpStatus === null ? "no response" : `HTTP ${entry.httpStatus}`}`,
        body: entry.error ?? undefined,
        tone: succeeded ? "success" : "danger",
        meta: `${entry.durationMs} ms`,
      };
    }
  }
}

function chartData(data: SessionTimeline): { series: TimeSeriesDefinition[]; points: TimeSeriesPoint[] } {
  const shown = data.plans.slice(-MAX_PLAN_SERIES);
  const series: TimeSeriesDefinition[] = shown.map((plan, i) => ({
    key: `v${plan.version}`,
    label: `Plan v${plan.version}`,
    unit: "kW",
    kind: "step",
    color: PLAN_COLORS[PLAN_COLORS.length - shown.length + i],
    dashed: i < shown.length - 1,
    fractionDigits: 1,
  }));
  series.push({ key: "actual", label: "Actual (readings)", unit: "kW", kind: "area", color: "var(--chart-2)", fractionDigits: 2 });
  const byTime = new Map<number, Record<string, number | null>>();
  const at = (time: number) => {
    const existing = byTime.get(time);
    if (existing) return existing;
    const created: Record<string, number | null> = {};
    byTime.set(time, created);
    return created;
  };
  for (const plan of shown) {
    for (const slot of plan.slots) at(Date.parse(slot.start))[`v${plan.version}`] = slot.kw;
    // Close the step at the end of the plan.
    const last = plan.slots.at(-1);
    if (last) at(Date.parse(last.end))[`v${plan.version}`] = 0;
  }
  for (const reading of data.readings) {
    const hours = (reading.end.getTime() - reading.start.getTime()) / 3_600_000 || HALF_HOUR_MS / 3_600_000;
    at(reading.start.getTime()).actual = reading.kwh / hours;
  }
  const points = [...byTime.entries()].sort(([a], [b]) => a - b).map(([time, values]) => ({ time, values }));
  return { series, points };
}

export function SessionView({ sessionId }: { sessionId: string }) {
  const trpc = useTRPC();
  const canSendLinks = useRole().can("consent:write");
  const detail = useQuery({ ...trpc.chargingViews.session.queryOptions({ sessionId }), refetchInterval: CHARGING_REFRESH_MS });
  const back = <Link href="/charging">← Charging</Link>;

  if (detail.isLoading) return <LoadingState label="Loading session" />;
  if (detail.error || !detail.data) {
    return (
      <>
        <PageHeader eyebrow={back} title="Charging session" />
        <ErrorState title="The session could not be loaded" message={messageOf(detail.error)} />
      </>
    );
  }
  const data = detail.data;
  const { session, latestPlan } = data;
  const items: TimelineItem[] = data.entries.map((entry) => ({ id: entry.id, time: entry.at, ...describeEntry(entry) }));
  const { series, points } = chartData(data);
  const open = session.pluggedOutAt === null;

  return (
    <>
      <PageHeader
        eyebrow={back}
        title={session.assetExternalId}
        description={`${session.postcode} · plugged in ${formatDateTime(session.pluggedInAt)}${session.pluggedOutAt ? `, out ${formatDateTime(session.pluggedOutAt)}` : ""}`}
        meta={
          <span className="inline-flex gap-2">
            <StatusPill status={open ? "plugged in" : "plugged out"} tone={open ? "success" : "neutral"} />
            {session.flagged ? <Badge tone="warning">kWh not met</Badge> : null}
          </span>
        }
      />
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatTile label="Planned cost" value={latestPlan ? formatPence(latestPlan.costPence) : "—"} hint={latestPlan ? `plan v${latestPlan.version}` : "no plan yet"} />
        <StatTile label="Charge-now baseline" value={latestPlan ? formatPence(latestPlan.baselineCostPence) : "—"} />
        <StatTile
          label="Saving"
          value={latestPlan ? formatPence(latestPlan.savingPence) : "—"}
          trend={latestPlan && latestPlan.savingPence > 0 ? { direction: "down", label: "against charging at once", sentiment: "positive" } : undefined}
        />
        <StatTile label="Energy" value={`${formatNumber(data.actualEnergyKwh)} / ${formatNumber(latestPlan?.energyKwh)}`} unit="kWh" hint="delivered / planned" />
      </div>
      <Card className="mb-6" title="Plan versions against actual charging" description="Each plan version's kW per half hour; the latest is solid. Actual power comes from the charger's half-hourly readings.">
        <TimeSeriesChart
          title="Charging plan versions against actual charging power"
          series={series}
          points={points}
          emptyTitle="No plan or readings yet"
          emptyDescription="A plan appears once the session is planned; readings follow each half hour."
        />
      </Card>
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2" title="Timeline">
          <Timeline items={items} />
        </Card>
        <div className="space-y-6">
          <Card title="Session">
            <DescriptionList
              columns={1}
              items={[
                { term: "Charger power", description: `${formatNumber(session.chargerPowerKw)} kW` },
                { term: "Charge now until", description: session.chargeNowUntil ? formatDateTime(session.chargeNowUntil) : null },
                { term: "Plan window", description: latestPlan ? `${formatDateTime(latestPlan.windowStart)} – ${formatDateTime(latestPlan.windowEnd)}` : null },
                { term: "Shortfall", description: latestPlan && latestPlan.shortfallKwh > 0 ? `${formatNumber(latestPlan.shortfallKwh)} kWh` : null },
                { term: "Site", description: <Link className="text-indigo-700 hover:underline" href={`/sites/${session.siteId}`}>{session.postcode}</Link> },
              ]}
            />
          </Card>
          {canSendLinks && open ? <IntentLinkCard assetId={session.assetId} siteId={session.siteId} /> : null}
        </div>
      </div>
      <Card className="mt-6" title="Deliveries" flush>
        <DataTable
          bare
          caption="Schedule deliveries"
          rows={data.deliveries}
          getRowKey={(d) => d.deliveryId}
          empty={<EmptyState compact title="No deliveries" description="Each plan version is pushed to the partner's schedule endpoint once one is configured." />}
          columns={[
            { key: "plan", header: "Plan", render: (d) => `v${d.planVersion}` },
            { key: "status", header: "Status", render: (d) => <StatusPill status={d.status} tone={DELIVERY_TONE[d.status] ?? "neutral"} /> },
            { key: "ocpp", header: "OCPP", hideBelow: "sm", render: (d) => d.ocppVersion },
            { key: "attempts", header: "Attempts", align: "right", render: (d) => d.attempts.length },
            { key: "created", header: "Queued", hideBelow: "md", render: (d) => formatDateTime(d.createdAt) },
            { key: "error", header: "Last error", hideBelow: "lg", render: (d) => d.lastError ?? "—" },
          ]}
        />
      </Card>
    </>
  );
}
