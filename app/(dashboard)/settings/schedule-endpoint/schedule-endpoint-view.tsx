"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent } from "react";
import { formatDateTime } from "@/components/lib/format";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CheckboxField } from "@/components/ui/checkbox-field";
import { DataTable } from "@/components/ui/data-table";
import { DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { InputField } from "@/components/ui/input-field";
import { LoadingState } from "@/components/ui/skeleton";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { SelectField } from "@/components/ui/select-field";
import { StatusPill } from "@/components/ui/badge";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";
import type { ScheduleDeliveryView } from "@/server/services/schedule-delivery/schedule-endpoints";
import { FormErrorNotice } from "@/app/_trpc/form-error-notice";

interface EndpointView {
  url: string;
  ocppVersion: string;
  secretLastFour: string;
  enabled: boolean;
  updatedAt: string;
  updatedBy: string;
  failingSince: string | null;
  lastFailure: string | null;
}

type DeliveryRow = ScheduleDeliveryView;

const versionOptions = [
  { value: "1.6", label: "OCPP 1.6 (SetChargingProfile.req)" },
  { value: "2.0.1", label: "OCPP 2.0.1 (SetChargingProfileRequest)" },
];

function EndpointForm({ current, onSaved }: { current: EndpointView | null; onSaved: () => void }) {
  const trpc = useTRPC();
  const save = useMutation(trpc.scheduleEndpoints.set.mutationOptions({ onSuccess: onSaved }));
  const errors = fieldErrorsOf(save.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const secret = String(data.get("secret") ?? "");
    save.mutate(
      {
        url: String(data.get("url") ?? ""),
        ocppVersion: String(data.get("ocppVersion") ?? "1.6") === "2.0.1" ? "2.0.1" : "1.6",
        enabled: data.get("enabled") === "on",
        ...(secret === "" ? {} : { secret }),
      },
      // The form remounts with the saved values (keyed on updatedAt); only the secret field needs clearing now.
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <form method="post" key={current?.updatedAt ?? "new"} onSubmit={onSubmit} noValidate className="grid gap-4">
      <InputField label="Endpoint URL" name="url" type="url" required defaultValue={current?.url ?? ""} placeholder="https://partner.example/ocpp/schedules" hint="Each new charging plan is POSTed here as an OCPP SetChargingProfile body." error={errors.url} />
      <SelectField label="OCPP version" name="ocppVersion" options={versionOptions} defaultValue={current?.ocppVersion ?? "1.6"} error={errors.ocppVersion} />
      <InputField
        label="Signing secret"
        name="secret"
        type="password"
        autoComplete="off"
        required={current === null}
        hint={current ? `Leave blank to keep the current secret (ending in ${current.secretLastFour}). It is never shown again.` : "At least 16 characters. Pushes are signed with HMAC-SHA256 using it; it is never shown again."}
        error={errors.secret}
      />
      <CheckboxField label="Push schedules" name="enabled" defaultChecked={current?.enabled ?? true} hint="When off, new plans are not queued and pending pushes are cancelled." />
      <div>
        <Button type="submit" variant="primary" loading={save.isPending}>
          {current ? "Save changes" : "Set up endpoint"}
        </Button>
      </div>
      <FormErrorNotice error={save.error} />
      {save.isSuccess ? <Notice tone="success">Schedule endpoint saved.</Notice> : null}
    </form>
  );
}

function SendTest() {
  const trpc = useTRPC();
  const send = useMutation(trpc.scheduleEndpoints.sendTest.mutationOptions());
  const result = send.data;
  return (
    <div className="grid gap-3">
      <div>
        <Button variant="secondary" loading={send.isPending} onClick={() => send.mutate()}>
          Send test
        </Button>
      </div>
      {send.error ? <Notice tone="danger">{messageOf(send.error)}</Notice> : null}
      {result ? (
        <Notice tone={result.ok ? "success" : "danger"} title={result.ok ? "The endpoint accepted the test profile" : "The test push failed"}>
          {result.ok ? `HTTP ${result.httpStatus ?? ""} in ${result.durationMs} ms (OCPP ${result.ocppVersion}).` : `${result.error ?? "No answer"} after ${result.durationMs} ms.`}
        </Notice>
      ) : null}
    </div>
  );
}

function AttemptLog({ row }: { row: DeliveryRow }) {
  if (row.attemptLog.length === 0) return <span className="text-zinc-500">{row.status === "pending" ? `Due ${formatDateTime(row.nextAttemptAt)}` : "Not sent"}</span>;
  return (
    <ul className="grid gap-0.5 text-xs text-zinc-600">
      {row.attemptLog.map((attempt, index) => (
        <li key={`${attempt.attemptedAt}-${index}`}>
          {formatDateTime(attempt.attemptedAt)}: {attempt.httpStatus === null ? attempt.error ?? "no answer" : `HTTP ${attempt.httpStatus}`} · {attempt.durationMs} ms
        </li>
      ))}
    </ul>
  );
}

export function ScheduleEndpointView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can } = useRole();
  const endpoint = useQuery(trpc.scheduleEndpoints.get.queryOptions());
  const deliveries = useQuery({ ...trpc.scheduleEndpoints.recentDeliveries.queryOptions({ limit: 50 }), refetchInterval: 10_000 });
  const current = (endpoint.data ?? null) as EndpointView | null;

  return (
    <>
      <PageHeader
        title="Schedule endpoint"
        description="Where each new charging plan is pushed as a signed OCPP charging profile. The latest plan wins: an older version still waiting is superseded, never sent after a newer one."
      />
      <div className="grid gap-6">
        <Card title="Endpoint" description="Requests carry X-Flexfleet-Timestamp and X-Flexfleet-Signature (HMAC-SHA256 of “timestamp.body”); see docs/schedule-delivery.md.">
          {current?.failingSince ? (
            <div className="mb-4">
              <Notice tone="danger" title={`The endpoint has been failing since ${formatDateTime(current.failingSince)}`}>
                Last answer: {current.lastFailure ?? "no answer"}. Schedules are kept and retried for 26 hours; the latest plan of each session is sent as soon as the endpoint answers. Check the URL and that the partner&apos;s service is up, then use Send test.
              </Notice>
            </div>
          ) : null}
          {endpoint.isLoading ? (
            <LoadingState label="Loading the endpoint" />
          ) : endpoint.error ? (
            <ErrorState title="The endpoint could not be loaded" message={messageOf(endpoint.error)} onRetry={() => void endpoint.refetch()} />
          ) : can("schedule_endpoint:manage") ? (
            <EndpointForm current={current} onSaved={() => void queryClient.invalidateQueries({ queryKey: trpc.scheduleEndpoints.get.queryKey() })} />
          ) : current ? (
            <DescriptionList
              columns={2}
              items={[
                { term: "URL", description: current.url, mono: true, wide: true },
                { term: "OCPP version", description: current.ocppVersion },
                { term: "Signing secret", description: `ends in ${current.secretLastFour}` },
                { term: "Pushing", description: current.enabled ? "On" : "Off" },
                { term: "Last changed", description: `${formatDateTime(current.updatedAt)} by ${current.updatedBy}` },
              ]}
            />
          ) : (
            <EmptyState compact title="No schedule endpoint yet" description="An admin sets the URL, OCPP version and signing secret here." />
          )}
          {can("schedule_endpoint:test") && current ? (
            <div className="mt-6 border-t border-zinc-200 pt-4">
              <SendTest />
            </div>
          ) : null}
        </Card>
        {deliveries.error ? (
          <ErrorState title="Deliveries could not be loaded" message={messageOf(deliveries.error)} onRetry={() => void deliveries.refetch()} />
        ) : (
          <Card title="Recent deliveries" description="The last 50 pushes with every HTTP attempt." flush>
            <DataTable<DeliveryRow>
              bare
              caption="Recent schedule deliveries"
              loading={deliveries.isLoading}
              rows={(deliveries.data ?? []) as DeliveryRow[]}
              getRowKey={(row) => row.id}
              empty={<EmptyState compact title="No deliveries yet" description="Each plan made for a plugged-in charger appears here with its attempts." />}
              columns={[
                { key: "created", header: "Queued", render: (row) => formatDateTime(row.createdAt) },
                {
                  key: "charger",
                  header: "Charger",
                  render: (row) => (
                    <div>
                      <div className="font-mono text-sm text-zinc-900">{row.assetExternalId}</div>
                      <div className="text-xs text-zinc-500">
                        Plan v{row.planVersion} · OCPP {row.ocppVersion}
                      </div>
                    </div>
                  ),
                },
                { key: "status", header: "Status", render: (row) => <StatusPill status={row.status} /> },
                { key: "attempts", header: "Attempts", hideBelow: "md", render: (row) => <AttemptLog row={row} /> },
                { key: "error", header: "Last error", hideBelow: "lg", render: (row) => <span className="text-sm text-zinc-600">{row.lastError ?? "—"}</span> },
              ]}
            />
          </Card>
        )}
      </div>
    </>
  );
}
