"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { TargetVsResponseChart } from "@/components/charts/target-vs-response-chart";
import { formatDateTime, formatNumber, formatPence } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/skeleton";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { StatTile } from "@/components/ui/stat-tile";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { GridEventCoordinationCard } from "../../coordination-activity";
import { useRole } from "../../role-context";
import { CONTROL_LABELS, DIRECTION_LABELS, EXCLUSION_LABELS, FAILURE_LABELS, LIVE_REFRESH_MS, PROPOSITION_LABELS } from "../labels";

const CANCELLABLE = new Set(["draft", "scheduled", "dispatching"]);

/** Delivery against baselines and the credits it earns; a completed event can be settled from here. */
function SettlementCard({ eventId, status, onSettled }: { eventId: string; status: string; onSettled: () => void }) {
  const trpc = useTRPC();
  const canSettle = useRole().can("rewards:write");
  const report = useQuery(trpc.rewards.eventReport.queryOptions({ eventId }));
  const settle = useMutation(trpc.rewards.settleEvent.mutationOptions({ onSuccess: onSettled }));
  const settled = status === "settled";
  if (report.error) return <ErrorState title="The settlement could not be worked out" message={messageOf(report.error)} onRetry={() => void report.refetch()} />;
  if (!report.data) return <LoadingState label="Working out the settlement" />;
  const r = report.data;
  const creditedSites = r.sites.filter((s) => s.earns && s.rewardPence > 0);
  const creditsPence = creditedSites.reduce((sum, s) => sum + s.rewardPence, 0);
  return (
    <Card
      title={settled ? "Settled" : "Settlement"}
      description={settled ? "Delivery measured against each battery's baseline; credits are in the households' reward ledgers." : "Delivery measured so far against each battery's baseline. Settling credits the households once."}
      className="mt-6"
      actions={
        !settled && canSettle ? (
          <Button loading={settle.isPending} onClick={() => settle.mutate({ eventId })}>
            Settle now
          </Button>
        ) : undefined
      }
    >
      {settle.error ? <Notice tone="danger" title="Not settled" className="mb-4">{messageOf(settle.error)}</Notice> : null}
      <div className="grid gap-4 sm:grid-cols-3" data-testid="settlement">
        <StatTile label="Delivered" value={formatNumber(r.deliveredKwh, 1)} unit="kWh" />
        <StatTile label={settled ? "Credited" : "Credits if settled now"} value={formatPence(creditsPence)} hint={`${creditedSites.length} households`} />
        <StatTile label="Under-delivered" value={formatNumber(r.underDeliveredAssetIds.length, 0)} hint={r.failedAssetIds.length > 0 ? `${r.failedAssetIds.length} failed, earning nothing` : "batteries"} />
      </div>
    </Card>
  );
}

function PlanPreview({ eventId, canWrite, onCommitted }: { eventId: string; canWrite: boolean; onCommitted: () => void }) {
  const trpc = useTRPC();
  const [confirming, setConfirming] = useState(false);
  const preview = useQuery(trpc.gridEvents.previewPlan.queryOptions({ eventId }));
  const commit = useMutation(
    trpc.gridEvents.commit.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        onCommitted();
      },
    }),
  );
  if (preview.error) return <ErrorState title="The dispatch plan could not be worked out" message={messageOf(preview.error)} onRetry={() => void preview.refetch()} />;
  if (!preview.data) return <LoadingState label="Working out the dispatch plan" />;
  const plan = preview.data;
  return (
    <>
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatTile label="Target" value={formatNumber(plan.event.targetKw, 1)} unit="kW" />
        <StatTile label={`Goal (+${plan.headroomPct} % headroom)`} value={formatNumber(plan.goalKw, 1)} unit="kW" />
        <StatTile label="Planned" value={formatNumber(plan.plannedKw, 1)} unit="kW" hint={`${plan.participants.length} assets`} />
        <StatTile label="Available" value={formatNumber(plan.availableKw, 1)} unit="kW" hint={`${plan.excluded.length} excluded`} />
      </div>
      {!plan.reachesTarget ? (
        <Notice tone="warning" title="The plan falls short of the target" className="mb-6">
          Eligible assets can give {formatNumber(plan.plannedKw, 1)} kW against a target of {formatNumber(plan.event.targetKw, 1)} kW. Widen the region or propositions, or commit anyway.
        </Notice>
      ) : null}
      <Card
        title="Dispatch plan"
        description="Not committed yet: nothing is sent to any asset until you commit. The plan is worked out again from live data when you do."
        flush
        actions={
          canWrite ? (
            <Button onClick={() => setConfirming(true)} disabled={plan.participants.length === 0}>
              Commit plan
            </Button>
          ) : undefined
        }
      >
        <DataTable
          bare
          caption="Planned participants"
          rows={plan.participants}
          getRowKey={(p) => p.assetId}
          empty={<EmptyState compact title="No eligible assets" description="See the excluded assets below for why." />}
          columns={[
            { key: "asset", header: "Asset", render: (p) => <Link className="font-mono text-indigo-700 hover:underline" href={p.assetType === "battery" && p.control === "oem_action" ? `/batteries/${p.assetId}` : `/sites/${p.siteId}`}>{p.assetExternalId}</Link> },
            { key: "control", header: "Control", hideBelow: "sm", render: (p) => CONTROL_LABELS[p.control] ?? p.control },
            { key: "kw", header: "Planned", align: "right", render: (p) => `${formatNumber(p.plannedKw, 2)} kW` },
            { key: "available", header: "Available", align: "right", hideBelow: "md", render: (p) => `${formatNumber(p.availableKw, 2)} kW` },
            { key: "soc", header: "SoC / floor", align: "right", hideBelow: "md", render: (p) => (p.socPct === null ? "—" : `${formatNumber(p.socPct, 0)} % / ${formatNumber(p.dischargeFloorPct ?? 0, 0)} %`) },
            { key: "mode", header: "Mode now", hideBelow: "lg", render: (p) => p.previousMode ?? "—" },
            { key: "proposition", header: "Proposition", hideBelow: "lg", render: (p) => PROPOSITION_LABELS[p.proposition] ?? p.proposition },
          ]}
        />
      </Card>
      {plan.excluded.length > 0 ? (
        <Card title="Excluded assets" className="mt-6" flush>
          <DataTable
            bare
            caption="Excluded assets"
            rows={plan.excluded}
            getRowKey={(e) => e.assetId}
            columns={[
              { key: "asset", header: "Asset", render: (e) => <span className="font-mono">{e.assetExternalId}</span> },
              { key: "type", header: "Type", render: (e) => e.assetType },
              { key: "reason", header: "Why", render: (e) => EXCLUSION_LABELS[e.reason] ?? e.reason },
            ]}
          />
        </Card>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title="Commit this dispatch plan?"
        description={`${plan.participants.length} assets will be dispatched for ${formatNumber(plan.plannedKw, 1)} kW.`}
        consequences={[
          "Batteries are switched to event mode a few minutes before the start and restored afterwards.",
          "Partner-controlled assets receive a signed dispatch webhook; charging sessions are re-planned.",
          "Householders with an email on their site are told about the event.",
        ]}
        confirmLabel="Commit plan"
        busy={commit.isPending}
        error={commit.error ? messageOf(commit.error) : undefined}
        onConfirm={() => commit.mutate({ eventId })}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}

function LiveView({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const live = useQuery({ ...trpc.gridEvents.live.queryOptions({ eventId }), refetchInterval: LIVE_REFRESH_MS });
  if (live.error) return <ErrorState title="The live view could not be loaded" message={messageOf(live.error)} onRetry={() => void live.refetch()} />;
  if (!live.data) return <LoadingState label="Loading the live view" />;
  const data = live.data;
  const count = (s: string) => data.statusCounts[s] ?? 0;
  const { delivery } = data;
  const firstPoint = data.points[0];
  const lastPoint = data.points[data.points.length - 1];
  return (
    <>
      {delivery.underDelivering ? (
        <Notice tone="warning" title="This event is under-delivering" className="mb-6">
          {data.latestKw === null
            ? "No participating battery has reported in the last 5 minutes, so nothing shows that the fleet is responding."
            : `The fleet is responding with ${formatNumber(data.latestKw, 1)} kW against a target of ${formatNumber(data.event.targetKw, 1)} kW (below ${formatNumber(delivery.thresholdKw, 1)} kW counts as under-delivering).`}{" "}
          Open the participating batteries below to check each is still reporting and in event mode; a battery that dropped out can be read again from its page.
        </Notice>
      ) : null}
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatTile label="Target" value={formatNumber(data.event.targetKw, 1)} unit="kW" hint={`Under-delivering below ${formatNumber(delivery.thresholdKw, 1)} kW`} />
        <StatTile label="Response now" value={formatNumber(data.latestKw, 1)} unit="kW" hint="Battery power in the event direction" />
        <StatTile label="Confirmed" value={`${count("confirmed") + count("restored") + count("accepted") + count("executed")} / ${data.participants.length}`} hint="Switched to event mode (not delivery)" />
        <StatTile label="Failed" value={String(data.failures.length)} hint={count("restore_failed") > 0 ? `${count("restore_failed")} not restored` : undefined} />
      </div>
      <Card title="Target against response" className="mb-6">
        <TargetVsResponseChart
          title="Target against aggregate response"
          summary={`Target ${formatNumber(data.event.targetKw, 1)} kW; response now ${data.latestKw === null ? "unknown" : `${formatNumber(data.latestKw, 1)} kW`}.`}
          points={data.points}
          eventWindow={{ start: data.event.startAt, end: data.event.endAt, label: "Event window" }}
          targetBand={{ fromKw: delivery.thresholdKw, toKw: data.event.targetKw, label: "Target band" }}
          now={data.now}
          domain={firstPoint && lastPoint ? { start: firstPoint.time, end: lastPoint.time } : undefined}
          actualLabel="Response"
          emptyTitle="No readings yet"
          emptyDescription="The chart fills in as the participating batteries report."
        />
      </Card>
      {data.failures.length > 0 ? (
        <Notice tone="danger" title="Failures" className="mb-6">
          <ul className="list-disc space-y-1 pl-5">
            {data.failures.map((f) => (
              <li key={f.assetId}>
                <span className="font-mono">{f.assetExternalId}</span>: {FAILURE_LABELS[f.status] ?? "Failed"}
                {f.reason ? ` — ${f.reason}` : ""}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <Card title="Participants" flush>
        <DataTable
          bare
          caption="Participants and their status"
          rows={data.participants}
          getRowKey={(p) => p.id}
          columns={[
            {
              key: "asset",
              header: "Asset",
              render: (p) =>
                p.control === "oem_action" ? (
                  <Link className="font-mono text-indigo-700 hover:underline" href={`/batteries/${p.assetId}`}>
                    {p.assetExternalId}
                  </Link>
                ) : (
                  <span className="font-mono">{p.assetExternalId}</span>
                ),
            },
            { key: "status", header: "Status", render: (p) => <StatusPill status={p.status} /> },
            { key: "control", header: "Control", hideBelow: "sm", render: (p) => CONTROL_LABELS[p.control] ?? p.control },
            { key: "kw", header: "Planned", align: "right", render: (p) => `${formatNumber(p.plannedKw, 2)} kW` },
            { key: "restore", header: "Restores to", hideBelow: "md", render: (p) => (p.control === "oem_action" ? (p.previousMode ?? "SELF_RELIANCE") : "—") },
            { key: "delivered", header: "Delivered", align: "right", hideBelow: "md", render: (p) => (p.deliveredKwh === null ? "—" : `${formatNumber(p.deliveredKwh, 2)} kWh`) },
            { key: "reason", header: "Detail", hideBelow: "lg", render: (p) => p.failureReason ?? "" },
            { key: "updated", header: "Updated", hideBelow: "lg", render: (p) => formatDateTime(p.updatedAt) },
          ]}
        />
      </Card>
    </>
  );
}

export function EventView({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useRole().can("grid_events:write");
  const [cancelling, setCancelling] = useState(false);
  const event = useQuery({ ...trpc.gridEvents.get.queryOptions({ eventId }), refetchInterval: LIVE_REFRESH_MS });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.gridEvents.pathKey() });
  const cancel = useMutation(
    trpc.gridEvents.cancel.mutationOptions({
      onSuccess: () => {
        setCancelling(false);
        refresh();
      },
    }),
  );
  if (event.error) return <ErrorState title="The grid event could not be loaded" message={messageOf(event.error)} action={<Link href="/grid-events">Back to grid events</Link>} />;
  if (!event.data) return <LoadingState label="Loading the grid event" />;
  const e = event.data.event;
  const canCancel = canWrite && CANCELLABLE.has(e.status) && new Date(e.startAt).getTime() > Date.now();
  return (
    <>
      <PageHeader
        eyebrow={<Link href="/grid-events">Grid events</Link>}
        title={e.name}
        meta={<StatusPill status={e.status} />}
        actions={
          canCancel ? (
            <Button variant="danger" onClick={() => setCancelling(true)}>
              Cancel event
            </Button>
          ) : undefined
        }
      />
      <Card className="mb-6">
        <DescriptionList
          columns={2}
          items={[
            { term: "Direction", description: DIRECTION_LABELS[e.direction] ?? e.direction },
            { term: "Window", description: `${formatDateTime(e.startAt)} – ${formatDateTime(e.endAt)}` },
            { term: "Target", description: `${formatNumber(e.targetKw, 1)} kW` },
            { term: "Price", description: `£${formatNumber(e.priceGbpPerMwh, 2)}/MWh` },
            { term: "Region", description: e.region ?? "Whole fleet" },
            { term: "Propositions", description: e.propositions.map((p) => PROPOSITION_LABELS[p] ?? p).join(", ") },
            { term: "Created by", description: e.createdBy },
            { term: "Committed", description: e.committedAt ? formatDateTime(e.committedAt) : null },
          ]}
        />
      </Card>
      {e.status === "draft" ? <PlanPreview eventId={eventId} canWrite={canWrite} onCommitted={refresh} /> : e.status === "cancelled" && event.data.participants.length === 0 ? <EmptyState title="Cancelled" description="This event was cancelled before its plan was committed." /> : <LiveView eventId={eventId} />}
      {e.status === "completed" || e.status === "settled" ? <SettlementCard eventId={eventId} status={e.status} onSettled={refresh} /> : null}
      {e.status === "draft" ? null : <GridEventCoordinationCard eventId={eventId} />}
      <ConfirmDialog
        open={cancelling}
        tone="danger"
        title="Cancel this grid event?"
        description="It cannot be undone; create a new event if it is needed again."
        consequences={
          e.status === "dispatching"
            ? ["Batteries already switched are put back to their previous mode.", "Householders who were told about it get a cancellation email."]
            : ["Nothing is dispatched.", "Householders who were told about it get a cancellation email."]
        }
        confirmLabel="Cancel event"
        cancelLabel="Keep it"
        busy={cancel.isPending}
        error={cancel.error ? messageOf(cancel.error) : undefined}
        onConfirm={() => cancel.mutate({ eventId })}
        onCancel={() => setCancelling(false)}
      />
    </>
  );
}
