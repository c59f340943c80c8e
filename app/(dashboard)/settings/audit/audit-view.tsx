"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDateTime } from "@/components/lib/format";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { describeAuditEntry, type AuditEntryView } from "./audit-sentence";

const PAGE_SIZE = 50;

/** Who acted, in words: householder and system labels already say what they are ("householder (consent link)"). */
function actorWords(actorType: string, actorLabel: string): string {
  if (actorType === "api_client") return `API client ${actorLabel}`;
  if (actorType === "system") return `Flexfleet (${actorLabel})`;
  return actorLabel.charAt(0).toUpperCase() + actorLabel.slice(1);
}

/** "Ada Admin settled grid event “Tea time”, crediting £4.34 to 9 sites", its target a link. */
function AuditSentence({ entry, actorType, actorLabel }: { entry: AuditEntryView; actorType: string; actorLabel: string }) {
  return (
    <span>
      <span className="font-medium text-zinc-900">{actorWords(actorType, actorLabel)}</span>{" "}
      {describeAuditEntry(entry).map((segment, i) =>
        typeof segment === "string" ? (
          <span key={i}>{segment}</span>
        ) : (
          <Link key={i} href={segment.href} className="text-indigo-600 underline-offset-2 hover:underline">
            {segment.text}
          </Link>
        ),
      )}
      .
    </span>
  );
}

export function AuditView() {
  const trpc = useTRPC();
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState("");
  const list = useQuery({ ...trpc.audit.list.queryOptions({ limit: PAGE_SIZE, offset, search: search || undefined }), placeholderData: keepPreviousData });
  type Row = NonNullable<typeof list.data>["items"][number];
  return (
    <>
      <PageHeader title="Audit log" description="Every change made in this organisation, by whom and when. Entries cannot be edited or deleted." />
      <div className="mb-4">
        <SearchInput
          label="Search the audit log"
          placeholder="Action, actor or target"
          onChange={(v) => {
            setSearch(v);
            setOffset(0);
          }}
        />
      </div>
      {list.error ? (
        <ErrorState title="The audit log could not be loaded" message={messageOf(list.error)} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable<Row>
          caption="Audit log"
          loading={list.isLoading}
          rows={list.data?.items ?? []}
          getRowKey={(r) => String(r.id)}
          empty={<EmptyState compact title={search ? "No entry matches your search" : "No changes recorded yet"} description="Member changes, consents, enrolments and other changes will be listed here." />}
          columns={[
            { key: "when", header: "When", render: (r) => <span className="whitespace-nowrap">{formatDateTime(r.createdAt)}</span> },
            { key: "what", header: "What happened", render: (r) => <AuditSentence entry={r} actorType={r.actorType} actorLabel={r.actorLabel} /> },
          ]}
        />
      )}
      {list.data ? <Pagination className="mt-4" total={list.data.total} offset={offset} limit={PAGE_SIZE} onPageChange={setOffset} noun="entries" /> : null}
    </>
  );
}
