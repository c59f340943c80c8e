"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";

const PAGE_SIZE = 50;

function describe(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(" · ");
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
            { key: "when", header: "When", render: (r) => new Date(r.createdAt).toLocaleString("en-GB", { timeZone: "Europe/London" }) },
            { key: "action", header: "Action", render: (r) => <Badge tone="info">{r.action}</Badge> },
            { key: "actor", header: "By", render: (r) => `${r.actorLabel} (${r.actorType.replace("_", " ")})` },
            { key: "details", header: "Details", hideBelow: "md", render: (r) => <span className="text-zinc-600">{describe(r.details)}</span> },
          ]}
        />
      )}
      {list.data ? <Pagination className="mt-4" total={list.data.total} offset={offset} limit={PAGE_SIZE} onPageChange={setOffset} noun="entries" /> : null}
    </>
  );
}
