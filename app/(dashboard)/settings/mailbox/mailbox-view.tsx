"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";

const PURPOSE_LABELS: Record<string, string> = { "grid_event.notice": "Grid event notice", "grid_event.cancelled": "Grid event cancelled", "consent.link": "Consent link" };

export function MailboxView() {
  const trpc = useTRPC();
  const [openId, setOpenId] = useState<string | null>(null);
  const mail = useInfiniteQuery(
    trpc.gridEvents.mailbox.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchInterval: 10_000 }),
  );
  const rows = mail.data?.pages.flatMap((p) => p.items) ?? [];
  const open = rows.find((m) => m.id === openId) ?? null;
  return (
    <>
      <PageHeader
        title="Mailbox"
        description="Every email the platform sends to householders. Without SMTP_URL (development) messages are captured here and never leave the machine; with it they are sent and logged here."
      />
      {mail.error ? (
        <ErrorState title="The mailbox could not be loaded" message={messageOf(mail.error)} onRetry={() => void mail.refetch()} />
      ) : (
        <DataTable
          caption="Outgoing email"
          loading={mail.isLoading}
          rows={rows}
          getRowKey={(m) => m.id}
          onRowClick={(m) => setOpenId(m.id === openId ? null : m.id)}
          empty={<EmptyState title="No email yet" description="Householders with an email on their site are told about grid events before they start; those messages appear here." />}
          columns={[
            { key: "when", header: "When", render: (m) => formatDateTime(m.createdAt) },
            { key: "to", header: "To", render: (m) => m.toAddress },
            { key: "subject", header: "Subject", render: (m) => m.subject },
            { key: "purpose", header: "About", hideBelow: "md", render: (m) => PURPOSE_LABELS[m.purpose] ?? m.purpose },
            { key: "status", header: "Status", render: (m) => <StatusPill status={m.status} tone={m.status === "failed" ? "danger" : m.status === "sent" ? "success" : "info"} /> },
          ]}
          footer={
            mail.hasNextPage ? (
              <div className="p-3">
                <Button variant="secondary" loading={mail.isFetchingNextPage} onClick={() => void mail.fetchNextPage()}>
                  Older messages
                </Button>
              </div>
            ) : undefined
          }
        />
      )}
      {open ? (
        <Card className="mt-6" title={open.subject} description={`From ${open.fromAddress} to ${open.toAddress} · ${formatDateTime(open.createdAt)}`} actions={<Button variant="ghost" onClick={() => setOpenId(null)}>Close</Button>}>
          {open.error ? <p className="mb-3 text-sm text-red-700">Not sent: {open.error}</p> : null}
          {open.bodyHidden ? (
            <p className="text-sm text-zinc-600">The message is hidden from viewers: it carries the householder&apos;s details and links. Ask an operator or admin to read it.</p>
          ) : (
            <pre className="whitespace-pre-wrap font-sans text-sm text-zinc-800">{open.textBody}</pre>
          )}
        </Card>
      ) : null}
    </>
  );
}
