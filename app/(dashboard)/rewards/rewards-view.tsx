"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDate, formatNumber, formatPence } from "@/components/lib/format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/skeleton";
import { StatTile } from "@/components/ui/stat-tile";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../role-context";
import { EarningsBarChart } from "./earnings-bar-chart";

function downloadCsv(csv: string, reference: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `payout-${reference}.csv`;
  link.click();
  URL.revokeObjectURL(url);
}

export function RewardsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useRole();
  const [confirming, setConfirming] = useState<"approve" | "export" | null>(null);
  const summary = useQuery(trpc.rewards.fleetSummary.queryOptions());
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.rewards.pathKey() });
  const approve = useMutation(trpc.rewards.approvePayouts.mutationOptions({ onSuccess: () => { setConfirming(null); refresh(); } }));
  const exportRun = useMutation(
    trpc.rewards.exportPayouts.mutationOptions({
      onSuccess: (run) => {
        setConfirming(null);
        if (run.entries > 0) downloadCsv(run.csv, run.reference);
        refresh();
      },
    }),
  );

  if (summary.isLoading) return <LoadingState label="Loading rewards" />;
  if (summary.error || !summary.data) {
    return (
      <>
        <PageHeader title="Rewards" />
        <ErrorState title="Rewards could not be loaded" message={messageOf(summary.error)} />
      </>
    );
  }
  const { totals, byMonth, byEvent, sites } = summary.data;

  return (
    <>
      <PageHeader
        title="Rewards"
        description="What each household earned for the flexibility it delivered, and payment runs."
        actions={
          can("payouts:approve") ? (
            <div className="flex gap-2">
              <Button variant="secondary" disabled={totals.pendingApprovalPence === 0} onClick={() => setConfirming("approve")}>
                Approve pending
              </Button>
              <Button disabled={totals.approvedPence === 0} onClick={() => setConfirming("export")}>
                Export payout CSV
              </Button>
            </div>
          ) : null
        }
      />
      {exportRun.data ? (
        <Notice tone="success" title={`Payment run ${exportRun.data.reference}`}>
          {exportRun.data.entries} ledger entries for {exportRun.data.sites} sites, {formatPence(exportRun.data.totalPence)} to pay, moved to processing.
        </Notice>
      ) : null}
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatTile label="Earned by households" value={formatPence(totals.earnedPence)} hint={`${formatNumber(totals.flexKwh, 1)} kWh delivered`} />
        <StatTile label="Awaiting approval" value={formatPence(totals.pendingApprovalPence)} />
        <StatTile label="Approved, not yet paid" value={formatPence(totals.approvedPence)} />
        <StatTile label="Paid out" value={formatPence(totals.postedPence)} hint={totals.processingPence > 0 ? `${formatPence(totals.processingPence)} more in a payment run` : undefined} />
      </div>
      <div className="mb-6 grid gap-6 lg:grid-cols-2">
        <Card title="Earned per month">
          <EarningsBarChart title="Earned per month" bars={byMonth.map((m) => ({ label: m.month, pence: m.earnedPence }))} />
        </Card>
        <Card title="Earned per event">
          <EarningsBarChart title="Earned per event" bars={[...byEvent].reverse().map((e) => ({ label: `${e.name} ${formatDate(e.startAt)}`, pence: e.earnedPence }))} />
        </Card>
      </div>
      <Card title="Sites" flush>
        <DataTable
          bare
          caption="Reward balances per site"
          rows={sites}
          getRowKey={(row) => row.siteId}
          rowHref={(row) => `/rewards/${row.siteId}`}
          rowLinkLabel={(row) => `Rewards of site ${row.mpan}`}
          empty={<EmptyState compact title="No rewards yet" description="Sites appear here once they earn a credit or bonus." />}
          columns={[
            { key: "mpan", header: "MPAN", render: (row) => <span className="font-mono">{row.mpan}</span> },
            { key: "householder", header: "Householder", render: (row) => row.householder ?? "—", hideBelow: "md" },
            { key: "postcode", header: "Postcode", render: (row) => row.postcode, hideBelow: "lg" },
            { key: "earned", header: "Earned", align: "right", render: (row) => formatPence(row.earnedPence) },
            { key: "balance", header: "Balance", align: "right", render: (row) => formatPence(row.balancePence) },
            { key: "pending", header: "Awaiting approval", align: "right", render: (row) => formatPence(row.pendingApprovalPence), hideBelow: "md" },
          ]}
        />
      </Card>
      {can("organisation:settings") ? <RewardSettingsCard /> : null}
      <ConfirmDialog
        open={confirming === "approve"}
        title="Approve pending credits?"
        description={`${formatPence(totals.pendingApprovalPence)} of credits become payable in the next payment run.`}
        confirmLabel="Approve"
        busy={approve.isPending}
        error={approve.error ? messageOf(approve.error) : undefined}
        onConfirm={() => approve.mutate({})}
        onCancel={() => setConfirming(null)}
      />
      <ConfirmDialog
        open={confirming === "export"}
        title="Export a payment run?"
        description={`${formatPence(totals.approvedPence)} of approved credits (and any approved householder withdrawals, with their bank details) move to processing and are listed in a CSV for your payment provider.`}
        consequences={["They will not be exported again.", "Record the provider's outcome (posted or failed) afterwards; failed payments return to the balance."]}
        confirmLabel="Export CSV"
        busy={exportRun.isPending}
        error={exportRun.error ? messageOf(exportRun.error) : undefined}
        onConfirm={() => exportRun.mutate()}
        onCancel={() => setConfirming(null)}
      />
    </>
  );
}

function RewardSettingsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.rewards.settings.queryOptions());
  const [draft, setDraft] = useState<Record<string, string>>({});
  const save = useMutation(trpc.rewards.updateSettings.mutationOptions({ onSuccess: () => { setDraft({}); void queryClient.invalidateQueries({ queryKey: trpc.rewards.pathKey() }); } }));
  if (!settings.data) return null;
  const current = settings.data;
  const fields = [
    { key: "operatorSharePct", label: "Household share of the event price", suffix: "%" },
    { key: "signUpBonusPence", label: "Sign-up bonus", suffix: "p" },
    { key: "withdrawalThresholdPence", label: "Withdrawal threshold", suffix: "p" },
    { key: "withdrawalMinWaitDays", label: "Days before a first withdrawal", suffix: "days" },
    { key: "importMarginPencePerKwh", label: "Import margin over market (optimised schedules)", suffix: "p/kWh" },
    { key: "exportMarginPencePerKwh", label: "Export margin under market (optimised schedules)", suffix: "p/kWh" },
  ] as const;
  const value = (key: (typeof fields)[number]["key"]) => draft[key] ?? String(current[key]);
  return (
    <Card title="Reward settings" description="Admins only. Changes apply to settlements and schedules from now on." className="mt-6">
      <form
        className="grid gap-4 sm:grid-cols-2"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({
            operatorSharePct: Number(value("operatorSharePct")),
            signUpBonusPence: Number(value("signUpBonusPence")),
            withdrawalThresholdPence: Number(value("withdrawalThresholdPence")),
            withdrawalMinWaitDays: Number(value("withdrawalMinWaitDays")),
            scheduleMarket: draft.scheduleMarket ?? current.scheduleMarket,
            importMarginPencePerKwh: Number(value("importMarginPencePerKwh")),
            exportMarginPencePerKwh: Number(value("exportMarginPencePerKwh")),
          });
        }}
      >
        {fields.map((field) => (
          <InputField key={field.key} label={field.label} suffix={field.suffix} inputMode="decimal" value={value(field.key)} onChange={(e) => setDraft({ ...draft, [field.key]: e.target.value })} />
        ))}
        <InputField label="Market priced for optimised schedules" value={draft.scheduleMarket ?? current.scheduleMarket} onChange={(e) => setDraft({ ...draft, scheduleMarket: e.target.value })} />
        <div className="sm:col-span-2 flex items-center gap-3">
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
          {save.error ? <span className="text-sm text-red-700">{messageOf(save.error)}</span> : null}
        </div>
      </form>
    </Card>
  );
}
