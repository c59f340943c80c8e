"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { BATTERY_POWER_SIGN, formatDateTime, formatNumber, formatSignedKw, KW_FRACTION_DIGITS } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
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
import { CONNECTION_LABELS, connectionOf, LIVE_REFRESH_MS, MODE_LABELS, modeLabel, notOnlineSummary, OEM_LABELS, oemLabel } from "./labels";

type Oem = "foxess" | "givenergy" | "solis" | "sigenergy";
type Mode = "SELF_RELIANCE" | "TIME_OF_USE" | "IMPORT_FOCUS" | "EXPORT_FOCUS";
const asOem = (v: string): Oem | undefined => (v in OEM_LABELS ? (v as Oem) : undefined);
const asMode = (v: string): Mode | undefined => (v in MODE_LABELS ? (v as Mode) : undefined);
const asStatus = (v: string): "online" | "stale" | "no_credential" | undefined => (v === "online" || v === "stale" || v === "no_credential" ? v : undefined);

/** Sorting happens on the server over the whole fleet; each option is a column and a direction. */
const SORTS = [
  { value: "name", label: "Name", sort: "name", direction: "asc" },
  { value: "soc-desc", label: "State of charge, highest first", sort: "soc", direction: "desc" },
  { value: "soc-asc", label: "State of charge, lowest first", sort: "soc", direction: "asc" },
  { value: "power-desc", label: "Power, most charging first", sort: "power", direction: "desc" },
  { value: "power-asc", label: "Power, most discharging first", sort: "power", direction: "asc" },
  { value: "seen-desc", label: "Last seen, most recent first", sort: "last_seen", direction: "desc" },
  { value: "seen-asc", label: "Last seen, longest ago first", sort: "last_seen", direction: "asc" },
] as const;
const PAGE_SIZE = 50;

export function BatteriesView() {
  const trpc = useTRPC();
  const [oem, setOem] = useState("");
  const [mode, setMode] = useState("");
  const [status, setStatus] = useState("");
  const [search, setSearch] = useState("");
  const [sortKey, setSortKey] = useState<(typeof SORTS)[number]["value"]>("name");
  const [offset, setOffset] = useState(0);
  const sort = SORTS.find((s) => s.value === sortKey) ?? SORTS[0];
  const list = useQuery({
    ...trpc.batteries.list.queryOptions({
      oem: asOem(oem),
      mode: asMode(mode),
      status: asStatus(status),
      ...(search ? { search } : {}),
      sort: sort.sort,
      direction: sort.direction,
      limit: PAGE_SIZE,
      offset,
    }),
    // Keeps the current page on screen while the next one loads.
    placeholderData: (previous) => previous,
    // Live without reloading: the table and totals refetch while the page is open.
    refetchInterval: LIVE_REFRESH_MS,
  });
  const fleet = list.data?.fleet;
  const active = [oem, mode, status].filter(Boolean).length;
  return (
    <>
      <PageHeader title="Batteries" description="Live state of every home battery, refreshed every few seconds." />
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatTile label="Online" value={fleet ? `${fleet.online} / ${fleet.batteries}` : "—"} hint={fleet ? notOnlineSummary(fleet) || undefined : undefined} />
        <StatTile label="Energy stored" value={formatNumber(fleet?.energyStoredKwh)} unit="kWh" />
        <StatTile label="Available charge" value={formatNumber(fleet?.availableChargeKw, KW_FRACTION_DIGITS)} unit="kW" />
        <StatTile label="Available discharge" value={formatNumber(fleet?.availableDischargeKw, KW_FRACTION_DIGITS)} unit="kW" />
      </div>
      <FilterBar
        search={
          <SearchInput
            label="Search batteries"
            placeholder="Battery or device id"
            onChange={(value) => {
              setSearch(value);
              setOffset(0);
            }}
          />
        }
        activeFilterCount={active}
        onClear={() => {
          setOem("");
          setMode("");
          setStatus("");
          setOffset(0);
        }}
      >
        <SelectField
          label="OEM"
          hideLabel
          placeholder="All OEMs"
          value={oem}
          onChange={(e) => {
            setOem(e.target.value);
            setOffset(0);
          }}
          options={Object.entries(OEM_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <SelectField
          label="Mode"
          hideLabel
          placeholder="All modes"
          value={mode}
          onChange={(e) => {
            setMode(e.target.value);
            setOffset(0);
          }}
          options={Object.entries(MODE_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <SelectField
          label="Status"
          hideLabel
          placeholder="Any status"
          value={status}
          onChange={(e) => {
            setStatus(e.target.value);
            setOffset(0);
          }}
          options={Object.entries(CONNECTION_LABELS).map(([value, c]) => ({ value, label: c.label }))}
        />
        <SelectField
          label="Sort by"
          hideLabel
          value={sortKey}
          onChange={(e) => {
            const next = SORTS.find((s) => s.value === e.target.value);
            if (next) setSortKey(next.value);
            setOffset(0);
          }}
          options={SORTS.map(({ value, label }) => ({ value, label: `Sort: ${label}` }))}
        />
      </FilterBar>
      {list.error ? (
        <ErrorState title="Batteries could not be loaded" message={messageOf(list.error)} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable
          caption="Batteries"
          loading={list.isLoading}
          rows={list.data?.batteries ?? []}
          getRowKey={(b) => b.assetId}
          rowHref={(b) => `/batteries/${b.assetId}`}
          rowLinkLabel={(b) => `Battery ${b.externalId}`}
          empty={
            <EmptyState
              title="No batteries"
              description={search || active > 0 ? "No battery matches this search and these filters." : "Batteries appear here once a site has a battery asset with an OEM device id and OEM credentials."}
            />
          }
          footer={list.data && list.data.total > 0 ? <Pagination total={list.data.total} offset={offset} limit={PAGE_SIZE} onPageChange={setOffset} noun="batteries" /> : undefined}
          columns={[
            { key: "name", header: "Battery", render: (b) => <span className="font-mono">{b.externalId}</span> },
            { key: "soc", header: "SoC", align: "right", render: (b) => (b.socPct === null ? "—" : `${formatNumber(b.socPct, 0)} %`) },
            { key: "power", header: `Power (${BATTERY_POWER_SIGN})`, align: "right", render: (b) => formatSignedKw(b.batteryPowerKw) },
            { key: "mode", header: "Mode", hideBelow: "sm", render: (b) => modeLabel(b.operationMode) },
            { key: "state", header: "Status", render: (b) => <StatusPill status={b.connection} label={connectionOf(b.connection).label} tone={connectionOf(b.connection).tone} /> },
            { key: "seen", header: "Last seen", hideBelow: "md", render: (b) => (b.lastSeenAt ? formatDateTime(b.lastSeenAt) : "Never") },
            { key: "oem", header: "OEM", hideBelow: "md", render: (b) => oemLabel(b.oem) },
          ]}
        />
      )}
    </>
  );
}
