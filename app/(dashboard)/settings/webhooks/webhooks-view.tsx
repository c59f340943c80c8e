"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formatDateTime } from "@/components/lib/format";
import { Badge, StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxGroupField } from "@/components/ui/checkbox-group-field";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { SecretReveal } from "@/components/ui/secret-reveal";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";
import { CoordinationSandboxCard } from "./coordination-sandbox-card";
import { FormErrorNotice } from "@/app/_trpc/form-error-notice";

/** What each subscribable event means, for the form. Keys match the server's event types. */
const EVENT_DESCRIPTIONS: Record<string, string> = {
  "enrolment.enrolled": "A site was enrolled in a proposition.",
  "enrolment.unenrolled": "A site left a proposition.",
  "enrolment.withdrawn": "The household withdrew consent.",
  "site.offboarded": "A site and its assets were offboarded.",
  "user:vendor-action:updated": "A battery operation-mode action changed state (batches, x-enode-signature).",
  "user:credentials:expiring": "An OEM credential is about to expire (batches, x-enode-signature).",
};

interface EndpointRow {
  id: string;
  url: string;
  eventTypes: string[];
  createdAt: string | Date;
  disabledAt: string | Date | null;
  failingSince: string | Date | null;
  lastFailure: string | null;
  pendingDeliveries: number;
  failedDeliveries: number;
  lastDeliveredAt: string | Date | null;
}

interface DeliveryRow {
  id: string;
  url: string;
  eventType: string;
  eventCount: number;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastError: string | null;
  createdAt: string | Date;
  deliveredAt: string | Date | null;
}

const DELIVERY_TONE = { pending: "warning", delivered: "success", failed: "danger" } as const;

function CreateEndpointForm({ eventTypes, onCreated }: { eventTypes: string[]; onCreated: () => void }) {
  const trpc = useTRPC();
  const [created, setCreated] = useState<{ url: string; secret: string } | null>(null);
  const create = useMutation(trpc.webhookEndpoints.create.mutationOptions());
  const errors = fieldErrorsOf(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const chosen = data.getAll("eventTypes").map(String);
    setCreated(null);
    create.mutate(
      // The server validates the names; the form only offers the server's own list.
      { url: String(data.get("url") ?? ""), eventTypes: chosen as Parameters<typeof create.mutate>[0]["eventTypes"] },
      {
        onSuccess: (result) => {
          setCreated({ url: result.endpoint.url, secret: result.secret });
          form.reset();
          onCreated();
        },
      },
    );
  }

  return (
    <Card title="Register an endpoint" description="Deliveries are POSTed as JSON, signed with the endpoint's secret, and retried with backoff for about an hour.">
      <form method="post" onSubmit={onSubmit} noValidate className="grid gap-4">
        <InputField label="URL" name="url" type="url" required placeholder="https://partner.example/webhooks/flexfleet" hint="Must accept POST over https." error={errors.url} />
        <CheckboxGroupField
          legend="Events"
          description="Leave all unticked to receive every event."
          name="eventTypes"
          options={eventTypes.map((type) => ({ value: type, label: <span className="font-mono">{type}</span>, hint: EVENT_DESCRIPTIONS[type] }))}
          error={errors.eventTypes}
        />
        <div>
          <Button type="submit" variant="primary" loading={create.isPending}>
            Register endpoint
          </Button>
        </div>
      </form>
      <FormErrorNotice error={create.error} className="mt-4" />
      {created ? (
        <div className="mt-4">
          <SecretReveal secret={created.secret} label={`Signing secret for ${created.url}`} warning="Copy it now: it is stored encrypted and will not be shown again. If it is lost, disable the endpoint and register it again." />
        </div>
      ) : null}
    </Card>
  );
}

export function WebhooksView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canManage = useRole().can("webhook_endpoints:manage");
  const [disabling, setDisabling] = useState<EndpointRow | null>(null);
  const [enabling, setEnabling] = useState<EndpointRow | null>(null);
  const endpoints = useQuery(trpc.webhookEndpoints.list.queryOptions());
  const eventTypes = useQuery(trpc.webhookEndpoints.eventTypes.queryOptions());
  const deliveries = useQuery({ ...trpc.webhookEndpoints.deliveries.queryOptions({ limit: 50 }), refetchInterval: 15_000 });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.webhookEndpoints.pathKey() });
  const disable = useMutation(
    trpc.webhookEndpoints.disable.mutationOptions({
      onSuccess: () => {
        setDisabling(null);
        void invalidate();
      },
    }),
  );
  const enable = useMutation(
    trpc.webhookEndpoints.enable.mutationOptions({
      onSuccess: () => {
        setEnabling(null);
        void invalidate();
      },
    }),
  );

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Partner endpoints that receive enrolment, offboarding, battery action and credential events. Each delivery is signed; the signing secret is shown once, when the endpoint is registered."
      />
      {canManage ? (
        <CreateEndpointForm eventTypes={eventTypes.data ?? []} onCreated={() => void invalidate()} />
      ) : (
        <Notice tone="info">Only admins can register, disable or enable endpoints.</Notice>
      )}
      <div className="mt-6">
        {endpoints.error ? (
          <ErrorState title="Endpoints could not be loaded" message={messageOf(endpoints.error)} onRetry={() => void endpoints.refetch()} />
        ) : (
          <DataTable<EndpointRow>
            caption="Webhook endpoints"
            loading={endpoints.isLoading}
            rows={(endpoints.data ?? []) as EndpointRow[]}
            getRowKey={(r) => r.id}
            empty={<EmptyState compact title="No endpoints yet" description="Endpoints you register appear here with their events and delivery health." />}
            columns={[
              { key: "url", header: "URL", render: (r) => <span className="break-all font-mono text-xs text-zinc-900">{r.url}</span> },
              {
                key: "events",
                header: "Events",
                hideBelow: "md",
                render: (r) =>
                  r.eventTypes.length === 0 ? (
                    <Badge>All events</Badge>
                  ) : (
                    <div className="flex flex-wrap gap-1">
                      {r.eventTypes.map((t) => (
                        <Badge key={t}>{t}</Badge>
                      ))}
                    </div>
                  ),
              },
              {
                key: "health",
                header: "Deliveries",
                hideBelow: "sm",
                render: (r) => (
                  <div className="text-sm text-zinc-700">
                    <div>{r.lastDeliveredAt ? `Last delivered ${formatDateTime(r.lastDeliveredAt)}` : "Nothing delivered yet"}</div>
                    {r.pendingDeliveries > 0 ? <div className="text-amber-700">{r.pendingDeliveries} pending</div> : null}
                    {r.failedDeliveries > 0 ? <div className="text-red-700">{r.failedDeliveries} failed</div> : null}
                  </div>
                ),
              },
              { key: "created", header: "Registered", hideBelow: "lg", render: (r) => formatDateTime(r.createdAt) },
              {
                key: "status",
                header: "Status",
                render: (r) =>
                  r.disabledAt ? (
                    <Badge tone="neutral" title={`Disabled ${formatDateTime(r.disabledAt)}`}>Disabled</Badge>
                  ) : r.failingSince ? (
                    // Deliveries are kept and retried for 26 hours; the badge says since when the partner has not answered.
                    <Badge tone="danger" title={`Last answer: ${r.lastFailure ?? "none"}. Deliveries are retried for 26 hours.`}>
                      Failing since {formatDateTime(r.failingSince)}
                    </Badge>
                  ) : (
                    <Badge tone="success">Active</Badge>
                  ),
              },
              {
                key: "actions",
                header: <span className="sr-only">Actions</span>,
                align: "right",
                render: (r) =>
                  !canManage ? null : r.disabledAt ? (
                    <Button size="sm" variant="ghost" onClick={() => setEnabling(r)}>
                      Enable
                    </Button>
                  ) : (
                    <Button size="sm" variant="ghost" onClick={() => setDisabling(r)}>
                      Disable
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </div>
      <CoordinationSandboxCard />
      <div className="mt-6">
        <Card title="Recent deliveries" description="The latest 50 POSTs across all endpoints, refreshed every 15 seconds." flush>
          {deliveries.error ? (
            <ErrorState title="Deliveries could not be loaded" message={messageOf(deliveries.error)} onRetry={() => void deliveries.refetch()} />
          ) : (
            <DataTable<DeliveryRow>
              bare
              caption="Recent webhook deliveries"
              loading={deliveries.isLoading}
              rows={(deliveries.data ?? []) as DeliveryRow[]}
              getRowKey={(r) => r.id}
              empty={<EmptyState compact title="No deliveries yet" description="Each event sent to an endpoint appears here with its status and attempts." />}
              columns={[
                { key: "created", header: "Queued", render: (r) => formatDateTime(r.createdAt) },
                {
                  key: "event",
                  header: "Event",
                  render: (r) => (
                    <span className="font-mono text-xs">
                      {r.eventType}
                      {r.eventCount > 1 ? ` × ${r.eventCount}` : ""}
                    </span>
                  ),
                },
                { key: "url", header: "Endpoint", hideBelow: "lg", render: (r) => <span className="break-all font-mono text-xs text-zinc-600">{r.url}</span> },
                { key: "status", header: "Status", render: (r) => <StatusPill status={r.status} tone={DELIVERY_TONE[r.status]} /> },
                { key: "attempts", header: "Attempts", align: "right", hideBelow: "sm", render: (r) => r.attempts },
                {
                  key: "detail",
                  header: "Detail",
                  hideBelow: "md",
                  render: (r) => (r.deliveredAt ? `Delivered ${formatDateTime(r.deliveredAt)}` : (r.lastError ?? "Not attempted yet")),
                },
              ]}
            />
          )}
        </Card>
      </div>
      <ConfirmDialog
        open={disabling !== null}
        tone="danger"
        title="Disable this endpoint?"
        consequences={["Nothing more is sent to it; deliveries still pending wait until it is enabled again.", "Events raised while it is disabled are not queued for it."]}
        confirmLabel="Disable endpoint"
        busy={disable.isPending}
        error={disable.error ? messageOf(disable.error) : undefined}
        onConfirm={() => disabling && disable.mutate({ endpointId: disabling.id })}
        onCancel={() => {
          setDisabling(null);
          disable.reset();
        }}
      />
      <ConfirmDialog
        open={enabling !== null}
        title="Enable this endpoint again?"
        consequences={["Deliveries resume with the same signing secret, starting with any still pending from before it was disabled.", "Events raised while it was disabled are not sent."]}
        confirmLabel="Enable endpoint"
        busy={enable.isPending}
        error={enable.error ? messageOf(enable.error) : undefined}
        onConfirm={() => enabling && enable.mutate({ endpointId: enabling.id })}
        onCancel={() => {
          setEnabling(null);
          enable.reset();
        }}
      />
    </>
  );
}
