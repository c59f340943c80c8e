"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDate, formatDateTime, formatNumber, formatPence } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/skeleton";
import { StatTile } from "@/components/ui/stat-tile";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";
import { AddEntryForm } from "./add-entry-form";

const ENTRY_LABELS: Record<string, string> = { event_credit: "Grid event", sign_up_bonus: "Sign-up bonus", correction: "Correction", withdrawal: "Withdrawal" };

export function SiteLedgerView({ siteId }: { siteId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ledger = useQuery(trpc.rewards.siteLedger.queryOptions({ siteId }));
  const role = useRole();
  const canRecordPayouts = role.can("payouts:approve");
  const canAddEntries = role.can("rewards:write");
  const canMakeLinks = role.can("rewards:withdrawal_links");
  const rewardsLink = useMutation(trpc.rewards.createRewardsLink.mutationOptions());
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const [failing, setFailing] = useState<{ id: string; amountPence: number } | null>(null);
  const outcome = useMutation(
    trpc.rewards.recordPayoutOutcome.mutationOptions({
      onSuccess: () => {
        setFailing(null);
        void queryClient.invalidateQueries({ queryKey: trpc.rewards.pathKey() });
      },
    }),
  );
  const back = <Link href="/rewards">← Rewards</Link>;
  if (ledger.isLoading) return <LoadingState label="Loading the site's rewards" />;
  if (ledger.error || !ledger.data) {
    return (
      <>
        <PageHeader eyebrow={back} title="Site rewards" />
        <ErrorState title="The site's rewards could not be loaded" message={messageOf(ledger.error)} />
      </>
    );
  }
  const { site, balance, entries, bankAccount } = ledger.data;
  return (
    <>
      <PageHeader
        eyebrow={back}
        title={`Rewards · ${site.mpan}`}
        description={[site.householder, site.streetAddress, site.postcode].filter(Boolean).join(" · ")}
        actions={
          canMakeLinks ? (
            <Button variant="secondary" loading={rewardsLink.isPending} onClick={() => rewardsLink.mutate({ siteId })}>
              Create rewards link
            </Button>
          ) : undefined
        }
      />
      {rewardsLink.data ? (
        <Notice tone="success" className="mb-6" title="Rewards link for the household" onDismiss={() => rewardsLink.reset()}>
          <InputField
            label="Rewards link"
            hideLabel
            readOnly
            value={rewardsLink.data.url}
            hint={`Works until ${formatDateTime(rewardsLink.data.expiresAt)}: the household sees its balance, adds bank details and withdraws.`}
            onFocus={(event) => event.currentTarget.select()}
          />
        </Notice>
      ) : rewardsLink.error ? (
        <Notice tone="danger" className="mb-6" title="No link was made" onDismiss={() => rewardsLink.reset()}>
          {messageOf(rewardsLink.error)}
        </Notice>
      ) : null}
      <div className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatTile label="Balance" value={formatPence(balance.currentBalancePence)} hint={balance.canWithdraw ? "Can withdraw" : `Threshold ${formatPence(balance.minimumWithdrawalThresholdPence)}`} />
        <StatTile label="Earned in total" value={formatPence(balance.totalEarningsPence)} />
        <StatTile label="Awaiting approval" value={formatPence(balance.pendingApprovalPence)} />
        <StatTile label="Paid out" value={formatPence(balance.paidOutPence)} />
      </div>
      <Card className="mb-6" title="Bank account for withdrawals" description="Added by the householder on the hosted rewards page. Shown masked; the full details appear only in a payout export.">
        <p className="text-sm" data-testid="site-bank-account">
          {bankAccount ? `Sort code ${bankAccount.sortCode} · account ${bankAccount.accountNumberMasked} · added ${formatDate(bankAccount.createdAt)}` : "None yet."}
        </p>
      </Card>
      {outcome.error ? (
        <Notice tone="danger" className="mb-6" title="The payment outcome was not recorded" onDismiss={() => outcome.reset()}>
          {messageOf(outcome.error)} Reload the page and try again.
        </Notice>
      ) : null}
      {added ? (
        <Notice tone="success" className="mb-6" onDismiss={() => setAdded(null)}>
          {added}
        </Notice>
      ) : null}
      <Card
        title="Ledger"
        description="Append-only: corrections are new entries, never edits. Lines in a payment run are marked paid or failed when the payment provider answers."
        flush
        actions={
          canAddEntries && !adding ? (
            <Button size="sm" variant="secondary" onClick={() => { setAdded(null); setAdding(true); }}>
              Add bonus or correction
            </Button>
          ) : undefined
        }
      >
        {adding ? (
          <div className="border-b border-zinc-200">
            <AddEntryForm
              siteId={siteId}
              onDone={(message) => {
                setAdding(false);
                setAdded(message);
              }}
            />
          </div>
        ) : null}
        <DataTable
          bare
          caption="Reward ledger entries, newest first"
          rows={entries}
          getRowKey={(row) => row.id}
          empty={<EmptyState compact title="No entries yet" description="Credits for settled grid events, bonuses and corrections appear here." />}
          columns={[
            { key: "created", header: "Recorded", render: (row) => formatDateTime(row.createdAt) },
            { key: "type", header: "Type", render: (row) => ENTRY_LABELS[row.entryType] ?? row.entryType },
            { key: "period", header: "Period", render: (row) => (row.periodStart ? formatDate(row.periodStart) : "—"), hideBelow: "md" },
            { key: "flex", header: "Flex", align: "right", render: (row) => (row.flexKwh === null ? "—" : `${formatNumber(row.flexKwh, 3)} kWh`), hideBelow: "md" },
            { key: "amount", header: "Amount", align: "right", render: (row) => formatPence(row.amountPence) },
            { key: "status", header: "Payment", render: (row) => <StatusPill status={row.paymentStatus} /> },
            { key: "reference", header: "Reference", render: (row) => row.paymentReference ?? row.note ?? "—", hideBelow: "lg" },
            {
              key: "outcome",
              header: <span className="sr-only">Payment outcome</span>,
              align: "right",
              render: (row) =>
                canRecordPayouts && row.paymentStatus === "processing" ? (
                  <span className="inline-flex gap-2">
                    <Button size="sm" variant="secondary" loading={outcome.isPending && outcome.variables?.outcome === "posted" && outcome.variables.entryIds[0] === row.id} onClick={() => outcome.mutate({ entryIds: [row.id], outcome: "posted" })}>
                      Paid<span className="sr-only"> {formatPence(row.amountPence)}</span>
                    </Button>
                    <Button size="sm" variant="ghost" onClick={() => setFailing({ id: row.id, amountPence: row.amountPence })}>
                      Failed<span className="sr-only"> {formatPence(row.amountPence)}</span>
                    </Button>
                  </span>
                ) : null,
            },
          ]}
        />
      </Card>
      <ConfirmDialog
        open={failing !== null}
        tone="danger"
        title="Record this payment as failed?"
        description={failing ? `${formatPence(failing.amountPence)} goes back on the household's balance and is paid in a later run once approved again. Record it only when the payment provider says it failed.` : ""}
        confirmLabel="Record as failed"
        busy={outcome.isPending}
        onConfirm={() => failing && outcome.mutate({ entryIds: [failing.id], outcome: "failed" })}
        onCancel={() => setFailing(null)}
      />
    </>
  );
}
