"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { BATTERY_POWER_SIGN, formatDateTime, formatKw, formatNumber, formatSignedKw, GRID_POWER_SIGN } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { SelectField } from "@/components/ui/select-field";
import { LoadingState } from "@/components/ui/skeleton";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";
import { connectionOf, LIVE_REFRESH_MS, MODE_LABELS, modeLabel, oemLabel } from "../labels";

type Mode = "SELF_RELIANCE" | "TIME_OF_USE" | "IMPORT_FOCUS" | "EXPORT_FOCUS";
const isMode = (v: string): v is Mode => v in MODE_LABELS;
const ACTION_TONE = { PENDING: "info", CONFIRMED: "success", FAILED: "danger", CANCELLED: "neutral" } as const;

export function BatteryView({ assetId }: { assetId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canControl = useRole().can("batteries:control");
  const [range, setRange] = useState<"24h" | "7d">("24h");
  const [mode, setMode] = useState<Mode>("SELF_RELIANCE");
  const detail = useQuery({ ...trpc.batteries.get.queryOptions({ assetId }), refetchInterval: LIVE_REFRESH_MS });
  const readings = useQuery({ ...trpc.batteries.readings.queryOptions({ assetId, range }), refetchInterval: LIVE_REFRESH_MS * 6 });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.batteries.pathKey() });
  const setModeMutation = useMutation(trpc.batteries.setMode.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.batteries.cancelAction.mutationOptions({ onSuccess: refresh }));
  const readNow = useMutation(trpc.batteries.readNow.mutationOptions({ onSuccess: refresh }));

  if (detail.isLoading) return <LoadingState label="Loading battery" />;
  if (detail.error || !detail.data) {
    return (
      <>
        <PageHeader eyebrow={<Link href="/batteries">← Batteries</Link>} title="Battery" />
        <ErrorState title="The battery could not be loaded" message={messageOf(detail.error)} />
      </>
    );
  }
  const { battery, actions, credential } = detail.data;
  const points = (readings.data ?? []).map((r) => ({
    time: r.observedAt,
    values: { soc: r.socPct, battery: r.batteryPowerKw, grid: r.gridPowerKw, solar: r.solarPowerKw, load: r.loadPowerKw },
  }));
  // Mark every change of observed mode on the charts.
  const markers = (readings.data ?? []).flatMap((r, i, all) => {
    const previous = all[i - 1];
    return previous && previous.operationMode !== r.operationMode ? [{ time: r.observedAt, label: modeLabel(r.operationMode), tone: "info" as const }] : [];
  });
  const to = Date.now();
  const chartRange = { start: new Date(to - (range === "24h" ? 1 : 7) * 86_400_000), end: new Date(to) };

  return (
    <>
      <PageHeader
        eyebrow={<Link href="/batteries">← Batteries</Link>}
        title={battery.externalId}
        description={`${oemLabel(battery.oem)} · ${battery.oemDeviceId ?? "no device id"}`}
        meta={<StatusPill status={battery.connection} label={connectionOf(battery.connection).label} tone={connectionOf(battery.connection).tone} />}
        actions={
          canControl && battery.connection !== "no_credential" ? (
            <Button variant="secondary" loading={readNow.isPending} onClick={() => readNow.mutate({ assetId })}>
              Read now
            </Button>
          ) : undefined
        }
      />
      {readNow.data && !readNow.data.ok ? (
        <Notice tone="warning" title="The battery did not answer" className="mb-4">
          Its OEM cloud refused or did not answer the read. Polling carries on and backs off; check the credential on the site page if this persists.
        </Notice>
      ) : null}
      {readNow.error ? <Notice tone="danger" title="Not read" className="mb-4">{messageOf(readNow.error)}</Notice> : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Live state">
          <DescriptionList
            columns={2}
            items={[
              { term: "State of charge", description: <span data-testid="battery-soc">{battery.socPct === null ? "—" : `${formatNumber(battery.socPct, 0)} %`}</span> },
              { term: `Battery power (${BATTERY_POWER_SIGN})`, description: battery.batteryPowerKw === null ? null : formatSignedKw(battery.batteryPowerKw) },
              { term: `Grid (${GRID_POWER_SIGN})`, description: battery.gridPowerKw === null ? null : formatSignedKw(battery.gridPowerKw) },
              { term: "Solar", description: battery.solarPowerKw === null ? null : formatKw(battery.solarPowerKw) },
              { term: "Mode", description: <span data-testid="battery-mode">{modeLabel(battery.operationMode)}</span> },
              { term: "Discharge floor", description: battery.dischargeFloorPct === null ? null : `${formatNumber(battery.dischargeFloorPct, 0)} %` },
              { term: "Last seen", description: battery.lastSeenAt ? formatDateTime(battery.lastSeenAt) : "Never" },
              { term: "Site", description: <Link className="text-indigo-700 underline" href={`/sites/${battery.siteId}`}>Open site</Link> },
            ]}
          />
        </Card>
        <Card title="Credentials and control">
          <DescriptionList
            items={[
              { term: "OEM credential", description: credential ? <StatusPill status={credential.status} /> : "None: add them on the site page" },
              { term: "Last successful use", description: credential?.lastUsedAt ? formatDateTime(credential.lastUsedAt) : "Never" },
            ]}
          />
          {canControl && (
            <form
              className="mt-4 flex flex-wrap items-end gap-2"
              onSubmit={(e) => {
                e.preventDefault();
                setModeMutation.mutate({ assetId, operationMode: mode });
              }}
            >
              <SelectField label="Operation mode" value={mode} onChange={(e) => isMode(e.target.value) && setMode(e.target.value)} options={Object.entries(MODE_LABELS).map(([value, label]) => ({ value, label }))} />
              <Button type="submit" loading={setModeMutation.isPending}>Set mode</Button>
            </form>
          )}
          {setModeMutation.error && <Notice tone="danger" title="Mode not changed" className="mt-4">{messageOf(setModeMutation.error)}</Notice>}
        </Card>
      </div>
      <Card title="History" className="mt-6" actions={
          <div className="flex gap-1" role="group" aria-label="Range">
            {(["24h", "7d"] as const).map((r) => (
              <Button key={r} size="sm" variant={range === r ? "primary" : "secondary"} aria-pressed={range === r} onClick={() => setRange(r)}>
                {r === "24h" ? "24 hours" : "7 days"}
              </Button>
            ))}
          </div>
        }>
        <p className="mb-2 text-xs text-zinc-500" data-testid="history-summary" data-points={points.length}>
          {points.length === 0 ? "No readings in this range yet." : `${points.length} readings from ${formatDateTime(points[0]?.time ?? to)}`}
        </p>
        <TimeSeriesChart title="State of charge" showTitle series={[{ key: "soc", label: "SoC", unit: "%", kind: "line", fractionDigits: 0 }]} points={points} markers={markers} range={chartRange} height={220} />
        <TimeSeriesChart
          title="Power"
          showTitle
          series={[
            { key: "battery", label: "Battery", unit: "kW", kind: "line" },
            { key: "grid", label: "Grid", unit: "kW", kind: "line" },
            { key: "solar", label: "Solar", unit: "kW", kind: "area" },
            { key: "load", label: "Load", unit: "kW", kind: "line", dashed: true },
          ]}
          points={points}
          markers={markers}
          range={chartRange}
        />
      </Card>
      <Card title="Recent actions" className="mt-6" flush>
        <DataTable
          bare
          caption="Recent actions"
          rows={actions}
          getRowKey={(a) => a.id}
          empty={<EmptyState compact title="No actions yet" description="Mode changes requested here or through the API appear here." />}
          columns={[
            { key: "created", header: "Requested", render: (a) => formatDateTime(a.createdAt) },
            { key: "mode", header: "Mode", render: (a) => modeLabel(a.targetMode) },
            { key: "state", header: "State", render: (a) => <span data-testid="action-state"><StatusPill status={a.state} tone={ACTION_TONE[a.state]} /></span> },
            { key: "reason", header: "Detail", hideBelow: "md", render: (a) => a.failureReason?.detail ?? (a.completedAt ? formatDateTime(a.completedAt) : "—") },
            {
              key: "cancel",
              header: "",
              align: "right",
              render: (a) =>
                canControl && a.state === "PENDING" ? (
                  <Button size="sm" variant="ghost" loading={cancel.isPending} onClick={() => cancel.mutate({ assetId, actionId: a.id })}>
                    Cancel
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </>
  );
}
