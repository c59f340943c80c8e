"use client";

import { useQuery } from "@tanstack/react-query";
import { TimeSeriesChart, type TimeSeriesPoint } from "@/components/charts/time-series-chart";
import { formatDateTime } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ErrorState } from "@/components/ui/error-state";
import { Notice } from "@/components/ui/notice";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { COMMAND_STATUS, DIRECT_CHARGERS_REFRESH_MS } from "../labels";

/** The last plan sent as a charging profile against the schedule the charger reports it applies. */
export function PlanAgainstAppliedCard({ id, className }: { id: string; className?: string }) {
  const trpc = useTRPC();
  const view = useQuery({ ...trpc.directChargers.planAgainstApplied.queryOptions({ id }), refetchInterval: DIRECT_CHARGERS_REFRESH_MS });
  const data = view.data;
  const byTime = new Map<number, TimeSeriesPoint>();
  const put = (time: number, key: string, kw: number) => {
    const point = byTime.get(time) ?? { time, values: {} };
    point.values[key] = kw;
    byTime.set(time, point);
  };
  for (const step of data?.planned ?? []) put(step.time, "planned", step.kw);
  for (const step of data?.applied ?? []) put(step.time, "applied", step.kw);
  const points = [...byTime.values()].sort((a, b) => Number(a.time) - Number(b.time));
  const status = data ? (COMMAND_STATUS[data.status] ?? { label: "Unknown", tone: "neutral" as const }) : null;

  return (
    <Card
      className={className}
      title="Plan against what the charger applies"
      description={
        data
          ? `Plan v${data.planVersion ?? "?"}${data.sentAt ? `, sent ${formatDateTime(data.sentAt)}` : ", not sent yet"}. The charger's own schedule is read back after it accepts a profile.`
          : "The latest plan sent as a charging profile, against the schedule the charger reports it applies."
      }
      actions={status ? <StatusPill status={data?.status ?? ""} label={status.label} tone={status.tone} /> : null}
    >
      {view.error ? (
        <ErrorState title="The plan could not be loaded" message={messageOf(view.error)} onRetry={() => void view.refetch()} />
      ) : (
        <>
          {data && data.matches === false && data.comparison ? (
            <Notice tone="warning" title="The charger does not follow the plan">
              {data.comparison}. Check the charger's smart-charging settings; the next plan is sent as usual.
            </Notice>
          ) : null}
          {data && data.matches === true ? <p className="mb-3 text-sm text-zinc-600">The charger reports the same limits as the plan.</p> : null}
          {data && data.accepted === false ? (
            <Notice tone="danger" title="The charger refused the profile">
              It keeps charging at its own default. If it never accepts profiles, check that smart charging is enabled on it.
            </Notice>
          ) : null}
          <TimeSeriesChart
            title="Planned power limit against the limit the charger reports"
            series={[
              { key: "planned", label: "Plan (profile sent)", unit: "kW", kind: "step", color: "#4f46e5", fractionDigits: 2 },
              { key: "applied", label: "Applied (charger reports)", unit: "kW", kind: "step", color: "#10b981", dashed: true, fractionDigits: 2 },
            ]}
            points={points}
            emptyTitle="No plan sent yet"
            emptyDescription="A plan appears once a car plugs in and the session is planned."
          />
        </>
      )}
    </Card>
  );
}
