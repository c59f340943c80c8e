"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { connectionLabel, connectorStatusLabel, DIRECT_CHARGERS_REFRESH_MS, protocolLabel } from "./labels";

/** Chargers that connect to the platform themselves over OCPP-J, with their live connection state. */
export function DirectChargersView() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.directChargers.list.queryOptions(), refetchInterval: DIRECT_CHARGERS_REFRESH_MS });
  return (
    <>
      <PageHeader
        eyebrow={<Link href="/charging">← Charging</Link>}
        title="Direct chargers"
        description="Chargers that connect to the platform over OCPP-J themselves, with no partner platform in between: whether they are online, what they last reported, and the plans sent to them."
      />
      {list.error ? (
        <ErrorState title="The direct chargers could not be loaded" message={messageOf(list.error)} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable
          caption="Direct chargers"
          loading={list.isLoading}
          rows={list.data ?? []}
          getRowKey={(c) => c.id}
          rowHref={(c) => `/charging/chargers/${c.id}`}
          rowLinkLabel={(c) => `Direct charger ${c.chargePointId}`}
          empty={<EmptyState title="No direct chargers" description="A charger asset becomes a direct charger once it is registered with a charge point id and a password; it then connects to the platform's OCPP address." />}
          columns={[
            { key: "id", header: "Charge point", render: (c) => <span className="font-mono">{c.chargePointId}</span> },
            { key: "asset", header: "Asset", hideBelow: "md", render: (c) => <span className="font-mono">{c.assetExternalId}</span> },
            {
              key: "connection",
              header: "Connection",
              render: (c) => {
                const state = connectionLabel(c.connectionState);
                return <StatusPill status={c.connectionState} label={c.enabled ? state.label : "Disabled"} tone={c.enabled ? state.tone : "neutral"} />;
              },
            },
            { key: "heartbeat", header: "Last heartbeat", hideBelow: "sm", render: (c) => (c.lastHeartbeatAt ? formatDateTime(c.lastHeartbeatAt) : "—") },
            {
              key: "connector",
              header: "Connector",
              hideBelow: "md",
              render: (c) => {
                const statuses = Object.values(c.connectorStatus);
                const latest = statuses.sort((a, b) => b.at.localeCompare(a.at))[0];
                return latest ? connectorStatusLabel(latest.status).label : "—";
              },
            },
            { key: "protocol", header: "Protocol", hideBelow: "lg", render: (c) => protocolLabel(c.protocol) },
            { key: "firmware", header: "Firmware", hideBelow: "lg", render: (c) => c.firmwareVersion ?? "—" },
          ]}
        />
      )}
    </>
  );
}
