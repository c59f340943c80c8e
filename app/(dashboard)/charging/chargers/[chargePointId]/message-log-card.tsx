"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "@/components/lib/format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { DIRECT_CHARGERS_REFRESH_MS, MESSAGE_KIND } from "../labels";

const PAGE_SIZE = 25;

/** The OCPP messages exchanged with the charger, newest first, a page at a time (the platform keeps the newest few hundred). */
export function MessageLogCard({ id }: { id: string }) {
  const trpc = useTRPC();
  // The cursors of the pages before this one, so "Newer" can go back.
  const [cursors, setCursors] = useState<Array<number | undefined>>([undefined]);
  const before = cursors.at(-1);
  const page = useQuery({
    ...trpc.directChargers.messages.queryOptions({ id, limit: PAGE_SIZE, ...(before === undefined ? {} : { before }) }),
    // Only the newest page follows live traffic; an older page stays put while it is read.
    refetchInterval: before === undefined ? DIRECT_CHARGERS_REFRESH_MS : false,
  });
  const nextBefore = page.data?.nextBefore ?? null;
  return (
    <Card
      title="Message log"
      description="What the charger and the platform said to each other, newest first. Long messages are cut; the platform keeps the newest messages of each charger."
      flush
      actions={
        <span className="inline-flex gap-2">
          <Button size="sm" variant="secondary" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Newer
          </Button>
          <Button size="sm" variant="secondary" disabled={nextBefore === null} onClick={() => nextBefore !== null && setCursors((c) => [...c, nextBefore])}>
            Older
          </Button>
        </span>
      }
    >
      {page.error ? (
        <ErrorState title="The message log could not be loaded" message={messageOf(page.error)} onRetry={() => void page.refetch()} />
      ) : (
        <DataTable
          bare
          caption="OCPP messages"
          loading={page.isLoading}
          rows={page.data?.rows ?? []}
          getRowKey={(m) => String(m.id)}
          empty={<EmptyState compact title="No messages" description="Messages appear once the charger connects." />}
          columns={[
            { key: "at", header: "Time", render: (m) => formatDateTime(m.at) },
            { key: "direction", header: "Direction", render: (m) => (m.direction === "in" ? "From the charger" : "To the charger") },
            { key: "kind", header: "Kind", hideBelow: "sm", render: (m) => MESSAGE_KIND[m.messageType] ?? "Message" },
            { key: "action", header: "Action", render: (m) => m.action ?? "—" },
            {
              key: "payload",
              header: "Content",
              hideBelow: "md",
              render: (m) => (
                <span className="block max-w-xl">
                  {m.error ? <span className="block text-red-700">{m.error}</span> : null}
                  {m.payload ? <code className="block truncate font-mono text-xs text-zinc-600" title={m.truncated ? "Cut: the full message is longer" : m.payload}>{m.payload}</code> : null}
                </span>
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
