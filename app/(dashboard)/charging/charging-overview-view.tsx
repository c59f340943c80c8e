"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { LoadVsPriceChart } from "@/components/charts/load-vs-price-chart";
import { formatDateTime, formatNumber, formatPence } from "@/components/lib/format";
import { Badge, StatusPill } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { FilterBar } from "@/components/ui/filter-bar";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { SelectField } from "@/components/ui/select-field";
import { StatTile } from "@/components/ui/stat-tile";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { CHARGING_REFRESH_MS, isSessionFilter, SESSION_FILTERS, type SessionFilterValue } from "./labels";

const PAGE_SIZE = 25;

export function ChargingOverviewView() {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<SessionFilterValue>("all");
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  const overview = useQuery({ ...trpc.chargingViews.overview.queryOptions(), refetchInterval: CHARGING_REFRESH_MS });
  const sessions = useQuery({
    ...trpc.chargingViews.sessions.queryOptions({ filter, search: search || undefined, limit: PAGE_SIZE, offset }),
    refetchInterval: CHARGING_REFRESH_MS,
  });
  const data = overview.data;
  const peakKw = data ? Math.max(0, ...data.loadCurve.map((p) => p.kw)) : null;

  return (
    <>
      <PageHeader
        title="Charging"
        description="Who is plugged in now, what the fleet plans to draw over the next 24 hours against the market price, and whether the schedules reached the chargers."
        actions={
          <ButtonLink href="/charging/chargers" variant="secondary">
            Direct chargers
          </ButtonLink>
        }
      />
      {overview.error ? (
        <ErrorState title="The charging overview could not be loaded" message={messageOf(overview.error)} onRetry={() => void overview.refetch()} />
      ) : (
        <>
          <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            <StatTile label="Plugged in now" value={data ? String(data.pluggedIn.length) : "—"} hint={data && data.flaggedCount > 0 ? `${data.flaggedCount} cannot reach their kWh` : undefined} />
            <StatTile label="Planned, next 24 h" value={formatNumber(data?.plannedEnergyKwh)} unit="kWh" />
            <StatTile label="Peak planned load" value={formatNumber(peakKw)} unit="kW" />
            <StatTile
              label="Failed deliveries"
              value={data ? String(data.deliveries.failed) : "—"}
              hint={data && data.deliveries.pending > 0 ? `${data.deliveries.pending} pending` : undefined}
              trend={data && data.deliveries.failed > 0 ? { direction: "up", label: "needs attention", sentiment: "negative" } : undefined}
            />
          </div>
          <div className="mb-6 grid gap-6 lg:grid-cols-3">
            <Card
              className="lg:col-span-2"
              title="Planned load against price"
              description={data?.market ? `Sum of every plugged-in session's current plan, half-hourly, beside ${data.market} prices.` : "Sum of every plugged-in session's current plan, half-hourly. Upload a price curve to see prices beside it."}
            >
              <LoadVsPriceChart
                title="Planned charging load against market price, next 24 hours"
                periods={(data?.loadCurve ?? []).map((p) => ({ start: p.start, kw: p.kw, priceGbpPerMwh: p.priceGbpPerMwh }))}
                loadLabel="Planned charging"
                priceLabel="Market price"
                emptyTitle="Nothing planned"
                emptyDescription="The curve fills in when chargers plug in and get a plan."
              />
            </Card>
            <Card title="Recent failed deliveries" flush>
              {data && data.deliveries.recentFailures.length > 0 ? (
                <ul className="divide-y divide-zinc-100">
                  {data.deliveries.recentFailures.map((failure) => (
                    <li key={failure.deliveryId} className="px-4 py-3 text-sm">
                      <div className="flex items-center justify-between gap-2">
                        <Link className="font-mono font-medium text-indigo-700 hover:underline" href={`/charging/sessions/${failure.sessionId}`}>
                          {failure.assetExternalId}
                        </Link>
                        <Badge tone="danger">plan v{failure.planVersion}</Badge>
                      </div>
                      <p className="mt-1 text-zinc-600">
                        {failure.attempts} attempts · {formatDateTime(failure.failedAt)}
                      </p>
                      {failure.lastError ? <p className="mt-1 truncate text-zinc-500">{failure.lastError}</p> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <EmptyState compact title="No failed deliveries" description="Schedules that could not be delivered after every retry appear here." />
              )}
            </Card>
          </div>
        </>
      )}
      <h2 className="mb-3 text-lg font-semibold text-zinc-900">Sessions</h2>
      <FilterBar
        search={
          <SearchInput
            label="Search sessions"
            placeholder="Charger id, MPAN or postcode"
            onChange={(value) => {
              setSearch(value);
              setOffset(0);
            }}
          />
        }
        activeFilterCount={filter === "all" ? 0 : 1}
        onClear={() => {
          setFilter("all");
          setOffset(0);
        }}
      >
        <SelectField
          label="Sessions"
          hideLabel
          value={filter}
          onChange={(e) => {
            if (isSessionFilter(e.target.value)) setFilter(e.target.value);
            setOffset(0);
          }}
          options={SESSION_FILTERS.map((f) => ({ value: f.value, label: f.label }))}
        />
      </FilterBar>
      {sessions.error ? (
        <ErrorState title="Sessions could not be loaded" message={messageOf(sessions.error)} onRetry={() => void sessions.refetch()} />
      ) : (
        <DataTable
          caption="Charging sessions"
          loading={sessions.isLoading}
          rows={sessions.data?.rows ?? []}
          getRowKey={(s) => s.sessionId}
          rowHref={(s) => `/charging/sessions/${s.sessionId}`}
          rowLinkLabel={(s) => `Session of ${s.assetExternalId} from ${formatDateTime(s.pluggedInAt)}`}
          empty={<EmptyState title="No sessions" description={search || filter !== "all" ? "No session matches these filters." : "Sessions appear when a partner sends a plug-in event for a charger."} />}
          footer={sessions.data ? <Pagination total={sessions.data.total} offset={sessions.data.offset} limit={sessions.data.limit} onPageChange={setOffset} noun="sessions" /> : undefined}
          columns={[
            { key: "charger", header: "Charger", render: (s) => <span className="font-mono">{s.assetExternalId}</span> },
            { key: "site", header: "Site", hideBelow: "md", render: (s) => s.postcode },
            { key: "in", header: "Plugged in", render: (s) => formatDateTime(s.pluggedInAt) },
            { key: "out", header: "Plugged out", hideBelow: "sm", render: (s) => (s.pluggedOutAt ? formatDateTime(s.pluggedOutAt) : <StatusPill status="plugged in" tone="success" />) },
            { key: "energy", header: "Planned", align: "right", hideBelow: "sm", render: (s) => (s.latestPlan ? `${formatNumber(s.latestPlan.energyKwh)} kWh` : "—") },
            { key: "saving", header: "Saving", align: "right", hideBelow: "lg", render: (s) => (s.latestPlan ? formatPence(s.latestPlan.savingPence) : "—") },
            { key: "flag", header: "", render: (s) => (s.flagged ? <Badge tone="warning">kWh not met</Badge> : null) },
          ]}
        />
      )}
    </>
  );
}
