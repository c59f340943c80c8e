"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formatDateTime } from "@/components/lib/format";
import { Badge } from "@/components/ui/badge";
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
import { SelectField } from "@/components/ui/select-field";
import { API_SCOPES } from "@/server/domain/api-scopes";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";
import { OEM_LABELS } from "../../batteries/labels";
import { FormErrorNotice } from "@/app/_trpc/form-error-notice";

type Scope = keyof typeof API_SCOPES;
const scopeEntries = Object.entries(API_SCOPES) as [Scope, string][];

interface ApiClientRow {
  id: string;
  name: string;
  clientId: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function CreateApiClientForm({ onCreated }: { onCreated: () => void }) {
  const trpc = useTRPC();
  const [created, setCreated] = useState<{ name: string; clientId: string; clientSecret: string } | null>(null);
  const create = useMutation(trpc.apiClients.create.mutationOptions());
  const errors = fieldErrorsOf(create.error);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const scopes = data.getAll("scopes").map(String) as Scope[];
    const oem = String(data.get("oem") ?? "");
    setCreated(null);
    create.mutate(
      { name: String(data.get("name") ?? ""), scopes, oem: oem in OEM_LABELS ? (oem as "foxess" | "givenergy" | "sigenergy" | "solis") : null },
      {
        onSuccess: (client) => {
          setCreated({ name: client.name, clientId: client.clientId, clientSecret: client.clientSecret });
          form.reset();
          onCreated();
        },
      },
    );
  }

  return (
    <Card title="Create an API client" description="A partner platform or an internal tool exchanges the client id and secret for bearer tokens that last an hour.">
      <form onSubmit={onSubmit} noValidate className="grid gap-4">
        <InputField label="Name" name="name" required hint="Who uses it, e.g. “Acme chargers production”." error={errors.name} />
        <CheckboxGroupField
          legend="Scopes"
          name="scopes"
          options={scopeEntries.map(([scope, description]) => ({ value: scope, label: <span className="font-mono">{scope}</span>, hint: description, defaultChecked: scope === "entities:read" }))}
          error={errors.scopes}
        />
        <SelectField
          label="Manufacturer cloud"
          name="oem"
          placeholder="Not one manufacturer"
          options={Object.entries(OEM_LABELS).map(([value, label]) => ({ value, label }))}
          hint="For a partner that is one manufacturer's own platform: the battery credentials it hands over are for this cloud."
          error={errors.oem}
        />
        <div>
          <Button type="submit" variant="primary" loading={create.isPending}>
            Create client
          </Button>
        </div>
      </form>
      <FormErrorNotice error={create.error} className="mt-4" />
      {created ? (
        <div className="mt-4">
          <SecretReveal secret={created.clientSecret} label={`Client secret for ${created.name}`} warning="Copy it now and store it somewhere safe: it will not be shown again. If it is lost, revoke the client and create another.">
            <p className="text-sm text-zinc-700">
              Client id: <code className="font-mono" data-testid="created-client-id">{created.clientId}</code>
            </p>
          </SecretReveal>
        </div>
      ) : null}
    </Card>
  );
}

export function ApiClientsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canManage = useRole().can("api_clients:manage");
  const [revoking, setRevoking] = useState<ApiClientRow | null>(null);
  const list = useQuery({ ...trpc.apiClients.list.queryOptions(), enabled: canManage });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.apiClients.list.pathKey() });
  const revoke = useMutation(
    trpc.apiClients.revoke.mutationOptions({
      onSuccess: () => {
        setRevoking(null);
        void invalidate();
      },
    }),
  );

  if (!canManage) {
    return (
      <>
        <PageHeader title="API clients" description="Credentials partner platforms and internal tools use to call the Flexfleet API." />
        <Notice tone="info">Only admins can see and manage API clients.</Notice>
      </>
    );
  }

  return (
    <>
      <PageHeader title="API clients" description="Credentials partner platforms and internal tools use to call the Flexfleet API. A secret is shown once, when the client is created." />
      <CreateApiClientForm onCreated={() => void invalidate()} />
      <div className="mt-6">
        {list.error ? (
          <ErrorState title="API clients could not be loaded" message={messageOf(list.error)} onRetry={() => void list.refetch()} />
        ) : (
          <DataTable<ApiClientRow>
            caption="API clients"
            loading={list.isLoading}
            rows={(list.data ?? []) as ApiClientRow[]}
            getRowKey={(r) => r.id}
            empty={<EmptyState compact title="No API clients yet" description="Clients you create appear here with their scopes and when they were last used." />}
            columns={[
              {
                key: "name",
                header: "Client",
                render: (r) => (
                  <div>
                    <div className="font-medium text-zinc-900">{r.name}</div>
                    <div className="font-mono text-xs text-zinc-500">{r.clientId}</div>
                  </div>
                ),
              },
              {
                key: "scopes",
                header: "Scopes",
                hideBelow: "md",
                render: (r) => (
                  <div className="flex flex-wrap gap-1">
                    {r.scopes.map((s) => (
                      <Badge key={s}>{s}</Badge>
                    ))}
                  </div>
                ),
              },
              { key: "created", header: "Created", hideBelow: "lg", render: (r) => formatDateTime(r.createdAt) },
              { key: "lastUsed", header: "Last used", hideBelow: "sm", render: (r) => (r.lastUsedAt ? formatDateTime(r.lastUsedAt) : "Never") },
              {
                key: "status",
                header: "Status",
                render: (r) => (r.revokedAt ? <Badge tone="danger" title={`Revoked ${formatDateTime(r.revokedAt)}`}>Revoked</Badge> : <Badge tone="success">Active</Badge>),
              },
              {
                key: "actions",
                header: <span className="sr-only">Actions</span>,
                align: "right",
                render: (r) =>
                  r.revokedAt ? null : (
                    <Button size="sm" variant="ghost" onClick={() => setRevoking(r)}>
                      Revoke
                    </Button>
                  ),
              },
            ]}
          />
        )}
      </div>
      <ConfirmDialog
        open={revoking !== null}
        tone="danger"
        title={`Revoke ${revoking?.name ?? "API client"}?`}
        consequences={["Its tokens stop working at once and it cannot get new ones.", "Anything using it will fail until it is given a new client.", "This cannot be undone."]}
        confirmLabel="Revoke client"
        busy={revoke.isPending}
        error={revoke.error ? messageOf(revoke.error) : undefined}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
      />
    </>
  );
}
