"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/skeleton";
import { StatTile } from "@/components/ui/stat-tile";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../../role-context";
import { connectionLabel, connectorErrorLabel, connectorName, connectorStatusLabel, DIRECT_CHARGERS_REFRESH_MS, protocolLabel } from "../labels";
import { MessageLogCard } from "./message-log-card";
import { PasswordCard } from "./password-card";
import { PlanAgainstAppliedCard } from "./plan-against-applied-card";

export function DirectChargerView({ id }: { id: string }) {
  const trpc = useTRPC();
  const canManage = useRole().can("ocpp:manage");
  const detail = useQuery({ ...trpc.directChargers.get.queryOptions({ id }), refetchInterval: DIRECT_CHARGERS_REFRESH_MS });
  const back = <Link href="/charging/chargers">← Direct chargers</Link>;

  if (detail.isLoading) return <LoadingState label="Loading the charger" />;
  if (detail.error || !detail.data) {
    return (
      <>
        <PageHeader eyebrow={back} title="Direct charger" />
        <ErrorState title="The charger could not be loaded" message={messageOf(detail.error)} onRetry={() => void detail.refetch()} />
      </>
    );
  }
  const cp = detail.data;
  const connection = connectionLabel(cp.connectionState);
  const connectors = Object.entries(cp.connectorStatus).sort(([a], [b]) => a.localeCompare(b));
  const connectionHint =
    cp.connectionState === "connected" && cp.connectedAt
      ? `since ${formatDateTime(cp.connectedAt)}`
      : cp.disconnectedAt
        ? `last seen ${formatDateTime(cp.disconnectedAt)}`
        : cp.passwordSet
          ? "waiting for its first connection"
          : "set a password so it can connect";

  return (
    <>
      <PageHeader
        eyebrow={back}
        title={cp.chargePointId}
        description={`Charger asset ${cp.assetExternalId}${cp.vendor || cp.model ? ` · ${[cp.vendor, cp.model].filter(Boolean).join(" ")}` : ""}`}
        meta={<StatusPill status={cp.connectionState} label={cp.enabled ? connection.label : "Disabled"} tone={cp.enabled ? connection.tone : "neutral"} />}
      />
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatTile label="Connection" value={cp.enabled ? connection.label : "Disabled"} hint={connectionHint} />
        <StatTile label="Last heartbeat" value={cp.lastHeartbeatAt ? formatDateTime(cp.lastHeartbeatAt) : "—"} hint={cp.lastBootAt ? `booted ${formatDateTime(cp.lastBootAt)}` : "not booted yet"} />
        <StatTile label="Firmware" value={cp.firmwareVersion ?? "—"} hint={cp.serialNumber ? `serial ${cp.serialNumber}` : undefined} />
        <StatTile label="Protocol" value={protocolLabel(cp.protocol)} hint={cp.currentTransactionId ? `transaction ${cp.currentTransactionId} running` : "no transaction running"} />
      </div>
      <div className="mb-6 grid gap-6 lg:grid-cols-3">
        <PlanAgainstAppliedCard id={cp.id} className="lg:col-span-2" />
        <div className="space-y-6">
          <Card title="Connectors" flush>
            {connectors.length > 0 ? (
              <ul className="divide-y divide-zinc-100">
                {connectors.map(([key, status]) => {
                  const shown = connectorStatusLabel(status.status);
                  const error = connectorErrorLabel(status.errorCode);
                  return (
                    <li key={key} className="px-4 py-3 text-sm">
                      <div className="flex items-center justify-between gap-2">
                        <span className="font-medium text-zinc-900">{connectorName(key)}</span>
                        <StatusPill status={status.status} label={shown.label} tone={error ? "danger" : shown.tone} />
                      </div>
                      <p className="mt-1 text-zinc-600">
                        reported {formatDateTime(status.at)}
                        {error ? ` · ${error}` : ""}
                      </p>
                    </li>
                  );
                })}
              </ul>
            ) : (
              <EmptyState compact title="No connector status yet" description="The charger reports each connector's status after it connects." />
            )}
          </Card>
          <PasswordCard id={cp.id} passwordSetAt={cp.passwordSetAt} canManage={canManage} />
          <Card title="Charger">
            <DescriptionList
              columns={1}
              items={[
                { term: "Vendor", description: cp.vendor },
                { term: "Model", description: cp.model },
                { term: "Serial number", description: cp.serialNumber },
                { term: "Asset", description: <span className="font-mono">{cp.assetExternalId}</span> },
              ]}
            />
          </Card>
        </div>
      </div>
      <MessageLogCard id={cp.id} />
    </>
  );
}
