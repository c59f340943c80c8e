"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { formatDateTime } from "@/components/lib/format";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState } from "@/components/ui/skeleton";
import { StatTile } from "@/components/ui/stat-tile";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { PROPOSITION_LABELS, propositionLabel } from "../sites/labels";

const STATES = ["enrolled", "unenrolled", "withdrawn", "offboarded"] as const;
const CHANNEL_LABELS: Record<string, string> = { partner_api: "Partner API", operator: "Operator", householder_page: "Householder page", system: "System" };

export function ConsentsView() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.consent.overview.queryOptions());
  if (overview.isLoading) return <LoadingState label="Loading consents" />;
  if (overview.error || !overview.data) {
    return (
      <>
        <PageHeader title="Consents" />
        <ErrorState message={messageOf(overview.error)} onRetry={() => void overview.refetch()} />
      </>
    );
  }
  const data = overview.data;
  const count = (proposition: string, state: string) => data.enrolmentCounts.find((row) => row.proposition === proposition && row.state === state)?.count ?? 0;
  const granted = (kind: string) => data.consentCounts.find((row) => row.kind === kind)?.granted ?? 0;
  const propositions = Object.keys(PROPOSITION_LABELS);

  return (
    <>
      <PageHeader title="Consents" description="Enrolment per proposition and state, current dispatch consents, and the most recent withdrawals." />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {propositions.map((proposition) => (
          <StatTile key={proposition} label={`${propositionLabel(proposition)} enrolled`} value={count(proposition, "enrolled").toLocaleString("en-GB")} hint={`${granted(proposition)} with dispatch consent`} />
        ))}
      </div>
      <Card title="Enrolments by state" className="mt-6" flush>
        <DataTable
          bare
          caption="Enrolments per proposition and state"
          rows={propositions}
          getRowKey={(proposition) => proposition}
          columns={[
            { key: "proposition", header: "Proposition", render: (proposition) => propositionLabel(proposition) },
            ...STATES.map((state) => ({ key: state, header: state.charAt(0).toUpperCase() + state.slice(1), align: "right" as const, render: (proposition: string) => count(proposition, state).toLocaleString("en-GB") })),
            { key: "consent", header: "Dispatch consent", align: "right" as const, render: (proposition: string) => granted(proposition).toLocaleString("en-GB") },
          ]}
        />
      </Card>
      <Card title="Recent withdrawals" description="The newest consent withdrawals, by any channel." className="mt-6" flush>
        <DataTable
          bare
          caption="Recent consent withdrawals"
          rows={data.recentWithdrawals}
          getRowKey={(row) => `${row.siteId}-${row.kind}-${String(row.occurredAt)}`}
          empty={<EmptyState compact title="No withdrawals" description="When a household or partner withdraws a consent it appears here." />}
          columns={[
            { key: "when", header: "When", render: (row) => formatDateTime(row.occurredAt) },
            { key: "site", header: "Site", render: (row) => <Link className="font-mono text-indigo-700 hover:underline" href={`/sites/${row.siteId}`}>{row.mpan}</Link> },
            { key: "kind", header: "Consent", render: (row) => (row.kind === "boundary_meter" ? "Boundary meter" : propositionLabel(row.kind)) },
            { key: "channel", header: "Channel", hideBelow: "md", render: (row) => CHANNEL_LABELS[row.channel] ?? row.channel },
            { key: "by", header: "By", hideBelow: "lg", render: (row) => row.actorLabel },
          ]}
        />
      </Card>
    </>
  );
}
