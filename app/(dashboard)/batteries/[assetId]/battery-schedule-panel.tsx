"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { LoadVsPriceChart } from "@/components/charts/load-vs-price-chart";
import { formatDate, formatDateTime, formatPence } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Notice } from "@/components/ui/notice";
import { LoadingState } from "@/components/ui/skeleton";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";
import { modeLabel, SCHEDULE_TRIGGER_LABELS, scheduleSkipReason, SLOT_OUTCOME_LABELS } from "../labels";

/** The Fully Optimised plan: charge (up) and discharge (down) per half hour against the market price curve. */
export function BatterySchedulePanel({ assetId }: { assetId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canControl = useRole().can("batteries:control");
  const schedule = useQuery(trpc.rewards.batterySchedule.queryOptions({ assetId }));
  const plan = useMutation(
    trpc.rewards.planBatterySchedules.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.rewards.batterySchedule.pathKey() }) }),
  );

  if (schedule.isLoading) return <LoadingState label="Loading the optimised schedule" />;
  if (schedule.error || !schedule.data) return <ErrorState title="The optimised schedule could not be loaded" message={messageOf(schedule.error)} />;
  const { schedules, latest, executions } = schedule.data;
  const shown = schedules.length > 0 ? schedules : latest ? [latest] : [];
  const periods = shown.flatMap((s) => s.slots.map((slot) => ({ start: slot.start, kw: slot.chargeKw - slot.dischargeKw, priceGbpPerMwh: slot.marketPriceGbpPerMwh })));
  const outcome = plan.data;

  return (
    <Card
      title="Optimised schedule"
      description="Fully Optimised Mode: the planned charge and discharge per half hour against the market price, re-planned when prices change."
      actions={
        canControl ? (
          <Button size="sm" variant="secondary" loading={plan.isPending} onClick={() => plan.mutate({ assetId })}>
            Plan tomorrow now
          </Button>
        ) : null
      }
    >
      {plan.error ? <Notice tone="danger">{messageOf(plan.error)}</Notice> : null}
      {outcome && outcome.skipped.length > 0 ? (
        <Notice tone="warning" title="Not planned">
          {[...new Set(outcome.skipped.map((s) => scheduleSkipReason(s.reason)))].join(" ")}
        </Notice>
      ) : null}
      {shown.length === 0 ? (
        <EmptyState compact title="No optimised schedule" description="Batteries enrolled in Fully Optimised Mode get tomorrow's plan every afternoon once day-ahead prices are in." />
      ) : (
        <div className="space-y-4">
          {schedules.length === 0 && latest ? <Notice tone="info">No current plan; showing the latest, for {formatDate(latest.scheduleDate)}.</Notice> : null}
          <LoadVsPriceChart
            title="Planned battery power against the market price"
            summary="Bars above zero are planned charging, below zero discharging; the line is the market price in pounds per MWh."
            periods={periods}
            loadLabel="Planned battery"
            priceLabel="Market price"
          />
          <DescriptionList
            columns={2}
            items={shown.flatMap((s) => [
              { term: `Plan for ${formatDate(s.scheduleDate)}`, description: <span>version {s.version} ({SCHEDULE_TRIGGER_LABELS[s.trigger] ?? s.trigger}), <StatusPill status={s.status} /></span> },
              { term: "Saving against self-consumption", description: `${formatPence(s.savingPence)} (cost ${formatPence(s.totalCostPence)})` },
              {
                term: "State-of-charge targets",
                description:
                  s.socTargets.length === 0
                    ? "None set for this day"
                    : s.socTargets.map((target) => (s.boundTargets.includes(target) ? `${target} (shaped this plan)` : target)).join("; "),
              },
              ...(s.provenOptimal ? [] : [{ term: "Optimality", description: "The planner stopped at its effort limit: this plan is safe to run but may not be the cheapest. It is planned again when prices change." }]),
            ])}
          />
          {executions.length > 0 ? (
            <div>
              <h3 className="mb-1 text-sm font-medium text-zinc-900">Recent slot boundaries</h3>
              <ul className="space-y-1 text-sm text-zinc-600">
                {executions.map((e) => (
                  <li key={e.slotStart.toString()}>
                    {formatDateTime(e.slotStart)} · {modeLabel(e.mode)} · {SLOT_OUTCOME_LABELS[e.outcome] ?? e.outcome}
                    {e.reason ? ` (${e.reason})` : ""}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      )}
    </Card>
  );
}
