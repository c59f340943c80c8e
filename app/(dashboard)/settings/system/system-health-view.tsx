"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDateTime, formatNumber } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";

/** What each queue does, in an operator's words. */
const QUEUE_LABELS: Record<string, string> = {
  "battery.poll": "Battery readings",
  "battery.schedule-polls": "Planning battery readings",
  "battery.drive-action": "Battery mode changes",
  "battery.sweep-actions": "Overdue mode changes",
  "battery-schedules.plan-daily": "Daily battery schedules",
  "battery-schedules.execute": "Battery schedule slots",
  "charging.deliver-schedules": "Charging schedules to partners",
  "charging.replan-open-sessions": "Charging re-plans",
  "grid-events.sweep": "Grid events",
  "rewards.settle-grid-event": "Grid event settlement",
  "rewards.sweep-unsettled-events": "Unsettled grid events",
  "webhooks.deliver-partner": "Partner webhooks",
  "credentials.warn-expiring": "Expiring credentials",
  "credentials.refresh-bearer": "Credential refresh",
  "secrets.reseal": "Key rotation",
  "system.worker-heartbeat": "Worker heartbeat",
};

/** A queue whose oldest due job waited longer than this is falling behind. */
const LAGGING_AFTER_SECONDS = 60;

function waited(seconds: number): string {
  if (seconds <= 0) return "—";
  if (seconds < 120) return `${formatNumber(seconds, 0)} s`;
  return `${formatNumber(seconds / 60, 0)} min`;
}

export function SystemHealthView() {
  const trpc = useTRPC();
  const health = useQuery(trpc.system.health.queryOptions(undefined, { refetchInterval: 5000 }));
  const report = health.data;
  const queues = report?.queue.queues ?? [];
  const heartbeat = report?.queue.lastWorkerHeartbeatAt;
  return (
    <>
      <PageHeader
        title="System health"
        description="The database and the job queue that polls batteries, drives mode changes, delivers schedules and webhooks, and re-plans charging. Refreshed every 5 seconds."
      />
      {health.error ? (
        <ErrorState title="System health could not be loaded" message={messageOf(health.error)} onRetry={() => void health.refetch()} />
      ) : (
        <>
          <div className="mb-6 grid gap-4 md:grid-cols-3">
            <Card title="Database">
              {report ? (
                <p className="text-sm">
                  <StatusPill status={report.database.ok ? "up" : "down"} tone={report.database.ok ? "success" : "danger"} />{" "}
                  {report.database.latencyMs !== undefined ? `answers in ${formatNumber(report.database.latencyMs, 1)} ms` : null}
                </p>
              ) : (
                <p className="text-sm text-zinc-500">Checking…</p>
              )}
            </Card>
            <Card title="Workers">
              <p className="text-sm">
                {heartbeat ? `Last seen ${formatDateTime(heartbeat)}` : report ? "No worker has reported yet. Start one (npm run worker), or run the web process with its worker inside." : "Checking…"}
              </p>
            </Card>
            <Card title="Jobs waiting">
              <p className="text-sm">
                {report?.queue.jobs
                  ? `${formatNumber(report.queue.jobs.queued, 0)} queued, ${formatNumber(report.queue.jobs.active, 0)} running, ${formatNumber(report.queue.jobs.failed, 0)} failed`
                  : report?.queue.error ?? "Checking…"}
              </p>
            </Card>
          </div>
          <DataTable
            caption="Job queues"
            loading={health.isLoading}
            rows={queues}
            getRowKey={(q) => q.name}
            empty={<EmptyState title="No jobs queued" description="Queues appear here while they hold work: readings, mode changes, deliveries and re-plans." />}
            columns={[
              { key: "queue", header: "Queue", render: (q) => QUEUE_LABELS[q.name] ?? q.name },
              { key: "due", header: "Due now", render: (q) => formatNumber(q.due, 0) },
              { key: "active", header: "Running", render: (q) => formatNumber(q.active, 0) },
              { key: "scheduled", header: "Scheduled later", hideBelow: "md", render: (q) => formatNumber(q.scheduled, 0) },
              { key: "oldest", header: "Oldest due waited", render: (q) => waited(q.oldestDueSeconds) },
              {
                key: "state",
                header: "State",
                render: (q) =>
                  q.oldestDueSeconds > LAGGING_AFTER_SECONDS ? (
                    <StatusPill status="behind" label="Falling behind: add workers or raise this queue's concurrency" tone="warning" />
                  ) : (
                    <StatusPill status="keeping up" label="Keeping up" tone="success" />
                  ),
              },
            ]}
          />
        </>
      )}
    </>
  );
}
