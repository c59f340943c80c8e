"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "@/components/lib/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { SelectField } from "@/components/ui/select-field";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole, type Role } from "../../role-context";
import { AddMemberForm } from "./add-member-form";

const PAGE_SIZE = 25;
const roleOptions = [
  { value: "admin", label: "Admin" },
  { value: "operator", label: "Operator" },
  { value: "viewer", label: "Viewer" },
];

interface MemberRow {
  operatorId: string;
  email: string;
  name: string;
  role: Role;
  lastSignInAt: string | null;
  mustChangePassword: boolean;
}

export function MembersView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canManage = useRole().can("members:manage");
  const [offset, setOffset] = useState(0);
  const [search, setSearch] = useState("");
  const [removing, setRemoving] = useState<MemberRow | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const list = useQuery({ ...trpc.members.list.queryOptions({ limit: PAGE_SIZE, offset, search: search || undefined }), placeholderData: keepPreviousData });
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.pathKey() });
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSuccess: invalidate, onError: (e) => setActionError(messageOf(e)) }));
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: () => {
        setRemoving(null);
        void invalidate();
      },
    }),
  );

  return (
    <>
      <PageHeader
        title="Members"
        description={canManage ? "Operators who can sign in to this organisation, and what each may do." : "Operators who can sign in to this organisation. Only admins can change members."}
      />
      {canManage ? <AddMemberForm onAdded={invalidate} /> : null}
      <div className="mb-4 mt-6 flex items-center justify-between gap-4">
        <SearchInput
          label="Search members"
          placeholder="Name or email"
          onChange={(v) => {
            setSearch(v);
            setOffset(0);
          }}
        />
      </div>
      {actionError ? (
        <p role="alert" className="mb-3 text-sm text-red-700">
          {actionError}
        </p>
      ) : null}
      {list.error ? (
        <ErrorState title="Members could not be loaded" message={messageOf(list.error)} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable<MemberRow>
          caption="Members"
          loading={list.isLoading}
          rows={(list.data?.items ?? []) as MemberRow[]}
          getRowKey={(r) => r.operatorId}
          empty={<EmptyState compact title={search ? "No member matches your search" : "No members"} />}
          columns={[
            {
              key: "name",
              header: "Name",
              render: (r) => (
                <div>
                  <div className="font-medium text-zinc-900">{r.name}</div>
                  <div className="text-zinc-500">{r.email}</div>
                </div>
              ),
            },
            {
              key: "role",
              header: "Role",
              render: (r) =>
                canManage ? (
                  <SelectField
                    label={`Role of ${r.email}`}
                    hideLabel
                    options={roleOptions}
                    value={r.role}
                    disabled={changeRole.isPending}
                    onChange={(e) => {
                      setActionError(null);
                      changeRole.mutate({ operatorId: r.operatorId, role: e.target.value as Role });
                    }}
                  />
                ) : (
                  <Badge>{r.role}</Badge>
                ),
            },
            {
              key: "status",
              header: "Last sign-in",
              hideBelow: "sm",
              render: (r) =>
                r.mustChangePassword ? (
                  <Badge tone="warning">Invited: one-time password not yet changed</Badge>
                ) : r.lastSignInAt ? (
                  formatDateTime(r.lastSignInAt)
                ) : (
                  "Never"
                ),
            },
            ...(canManage
              ? [
                  {
                    key: "actions",
                    header: <span className="sr-only">Actions</span>,
                    align: "right" as const,
                    render: (r: MemberRow) => (
                      <Button size="sm" variant="ghost" onClick={() => setRemoving(r)}>
                        Remove
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {list.data ? (
        <Pagination className="mt-4" total={list.data.total} offset={offset} limit={PAGE_SIZE} onPageChange={setOffset} noun="members" />
      ) : null}
      <ConfirmDialog
        open={removing !== null}
        tone="danger"
        title={`Remove ${removing?.name ?? "member"}?`}
        consequences={[
          `${removing?.email ?? "They"} will no longer be able to sign in to this organisation.`,
          "Their past actions stay in the audit log.",
          "You can add them again later.",
        ]}
        confirmLabel="Remove member"
        busy={remove.isPending}
        error={remove.error ? messageOf(remove.error) : undefined}
        onConfirm={() => removing && remove.mutate({ operatorId: removing.operatorId })}
        onCancel={() => {
          setRemoving(null);
          remove.reset();
        }}
      />
    </>
  );
}
