"use client";

// Energy-coordination activity for the grid-event and site pages: the events the platform produced
// for partners (power limits, price curves, eligibility changes) and the reports partners sent back.
import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "@/components/lib/format";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";

const EVENT_LABELS: Record<string, string> = {
  LocationLPC: "Power limit per location",
  ResourceLPC: "Power limit per device",
  LPCReservation: "Power limit reservation",
  PriceCurve: "Price curve",
  UserEligibility: "Change in who can take part",
};

const SOURCE_LABELS: Record<string, string> = {
  grid_event: "Grid event",
  market_prices: "Published prices",
  enrolment: "Enrolment",
  simulation: "Partner's test",
};

const REPORT_LABELS: Record<string, string> = {
  EnergyUsage: "Device usage",
  LocationEnergyUsage: "Meter usage",
  LocationEnergyUsagePlan: "Usage plan",
  ResourceLPCAcknowledgement: "Answer to a device limit",
  LocationLPCAcknowledgement: "Answer to a location limit",
};

function outcomeText(outcome: Record<string, unknown> | null): string {
  if (outcome === null) return "";
  if (typeof outcome.readings === "number") return `${outcome.readings} readings recorded`;
  if (typeof outcome.participants === "number") return `${outcome.participants} participants updated`;
  if (outcome.stored === true) return "Kept for reference";
  return "";
}

type Activity = {
  events: {
    id: string;
    createdAt: string | Date;
    payloadType: string;
    source: string;
    targetCount: number;
  }[];
  reports: {
    id: string;
    createdAt: string | Date;
    payloads: { payloadType: string; outcome: Record<string, unknown> | null }[];
  }[];
};

function ActivityTables({
  data,
  loading,
  subject,
}: {
  data: Activity | undefined;
  loading: boolean;
  subject: string;
}) {
  return (
    <>
      <DataTable
        bare
        caption={`Partner API events for this ${subject}`}
        loading={loading}
        rows={data?.events ?? []}
        getRowKey={(e) => e.id}
        empty={
          <EmptyState
            compact
            title="No events sent"
            description={`Partners on the energy-coordination API have been sent nothing about this ${subject}.`}
          />
        }
        columns={[
          { key: "type", header: "Event", render: (e) => EVENT_LABELS[e.payloadType] ?? "Other event" },
          {
            key: "source",
            header: "From",
            hideBelow: "sm",
            render: (e) => SOURCE_LABELS[e.source] ?? "Other",
          },
          { key: "targets", header: "Targets", align: "right", render: (e) => e.targetCount },
          { key: "created", header: "Sent", hideBelow: "md", render: (e) => formatDateTime(e.createdAt) },
        ]}
      />
      <DataTable
        bare
        caption={`Partner reports about this ${subject}`}
        loading={loading}
        rows={(data?.reports ?? []).flatMap((r) =>
          r.payloads.map((p, index) => ({ key: `${r.id}-${index}`, createdAt: r.createdAt, ...p })),
        )}
        getRowKey={(r) => r.key}
        empty={
          <EmptyState
            compact
            title="No reports received"
            description="Usage, usage plans and answers to power limits appear here when the partner sends them."
          />
        }
        columns={[
          { key: "type", header: "Report", render: (r) => REPORT_LABELS[r.payloadType] ?? "Other report" },
          {
            key: "outcome",
            header: "What it changed",
            hideBelow: "sm",
            render: (r) => outcomeText(r.outcome),
          },
          {
            key: "received",
            header: "Received",
            hideBelow: "md",
            render: (r) => formatDateTime(r.createdAt),
          },
        ]}
      />
    </>
  );
}

function CoordinationCard({
  description,
  subject,
  query,
}: {
  description: string;
  subject: string;
  query: {
    data?: Activity | undefined;
    error: { message: string } | null;
    isLoading: boolean;
    refetch: () => unknown;
  };
}) {
  return (
    <Card title="Partner API (energy coordination)" description={description} className="mt-6" flush>
      {query.error ? (
        <div className="p-4">
          <ErrorState
            title="Partner API activity could not be loaded"
            message={messageOf(query.error)}
            onRetry={() => void query.refetch()}
          />
        </div>
      ) : (
        <ActivityTables data={query.data} loading={query.isLoading} subject={subject} />
      )}
    </Card>
  );
}

export function GridEventCoordinationCard({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.energyCoordination.gridEventActivity.queryOptions({ eventId }));
  return (
    <CoordinationCard
      query={query}
      subject="event"
      description="Power limits sent to partner-controlled locations and devices, and the partners' answers and usage."
    />
  );
}

export function SiteCoordinationCard({ siteId }: { siteId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.energyCoordination.siteActivity.queryOptions({ siteId }));
  return (
    <CoordinationCard
      query={query}
      subject="site"
      description="Events sent to the partner about this site's meter or devices, and the partner's reports."
    />
  );
}
