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

export function BatteriesView() {
  const trpc = useTRPC();
  const [oem, setOem] = useState("");
  const [mode, setMode] = useState("");
  const [status, setStatus] = useState("");
  const list = useQuery({
    ...trpc.batteries.list.queryOptions({ oem: asOem(oem), mode: asMode(mode), status: asStatus(status) }),
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
        activeFilterCount={active}
        onClear={() => {
          setOem("");
          setMode("");
          setStatus("");
        }}
      >
        <SelectField label="OEM" hideLabel placeholder="All OEMs" value={oem} onChange={(e) => setOem(e.target.value)} options={Object.entries(OEM_LABELS).map(([value, label]) => ({ value, label }))} />
        <SelectField label="Mode" hideLabel placeholder="All modes" value={mode} onChange={(e) => setMode(e.target.value)} options={Object.entries(MODE_LABELS).map(([value, label]) => ({ value, label }))} />
        <SelectField label="Status" hideLabel placeholder="Online and stale" value={status} onChange={(e) => setStatus(e.target.value)} options={Object.entries(CONNECTION_LABELS).map(([value, c]) => ({ value, label: c.label }))} />
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
          empty={<EmptyState title="No batteries" description="Batteries appear here once a site has a battery asset with an OEM device id and OEM credentials." />}
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
