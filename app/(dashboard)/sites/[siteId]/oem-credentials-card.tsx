"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { formatDateTime } from "@/components/lib/format";
import { StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DescriptionList } from "@/components/ui/description-list";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { SelectField } from "@/components/ui/select-field";
import { SkeletonText } from "@/components/ui/skeleton";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../../role-context";

const OEM_OPTIONS = [
  { value: "foxess", label: "FoxESS" },
  { value: "givenergy", label: "GivEnergy" },
  { value: "solis", label: "SolisCloud" },
  { value: "sigenergy", label: "Sigenergy" },
];
type OemValue = "foxess" | "givenergy" | "solis" | "sigenergy";
const isOem = (v: string): v is OemValue => OEM_OPTIONS.some((o) => o.value === v);
const STATUS_TONE = { valid: "success", expiring: "warning", expired: "danger", rejected: "danger" } as const;
const STATUS_LABEL = { valid: "Valid", expiring: "Expiring", expired: "Expired", rejected: "Rejected by OEM" } as const;

/** The site page's "OEM credentials" step: status of the stored credential and a form to replace it. */
export function OemCredentialsCard({ siteId }: { siteId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { canWrite } = useRole();
  const credential = useQuery(trpc.batteries.credential.queryOptions({ siteId }));
  const [open, setOpen] = useState(false);
  const [oem, setOem] = useState<OemValue>("givenergy");
  const [accessToken, setAccessToken] = useState("");
  const [expiresAt, setExpiresAt] = useState("");
  const submit = useMutation(
    trpc.batteries.submitCredential.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        setAccessToken("");
        void queryClient.invalidateQueries({ queryKey: trpc.batteries.pathKey() });
      },
    }),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate({ siteId, oem, tokenType: "API_KEY", accessToken, ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}) });
  };
  const data = credential.data;
  const pairHint = oem === "solis" || oem === "sigenergy" ? 'Enter "key id:secret" as issued by the OEM.' : "The API key issued by the OEM.";

  return (
    <Card
      title="OEM credentials"
      description="The household's battery cloud account. Checked with the OEM when submitted, stored encrypted and never shown again."
      className="mt-6"
      actions={canWrite && !open ? <Button size="sm" variant="secondary" onClick={() => setOpen(true)}>{data ? "Replace credentials" : "Add credentials"}</Button> : undefined}
    >
      {credential.isLoading ? (
        <SkeletonText lines={3} />
      ) : data ? (
        <DescriptionList
          items={[
            { term: "OEM", description: OEM_OPTIONS.find((o) => o.value === data.oem)?.label ?? data.oem },
            { term: "Type", description: data.tokenType === "API_KEY" ? "API key" : "Bearer token" },
            { term: "Token", description: <span data-testid="credential-last-four">•••• {data.lastFour}</span> },
            { term: "Expires", description: data.expiresAt ? formatDateTime(data.expiresAt) : "Does not expire" },
            { term: "Status", description: <StatusPill status={data.status} tone={STATUS_TONE[data.status]} label={STATUS_LABEL[data.status]} /> },
            { term: "Last successful use", description: data.lastUsedAt ? formatDateTime(data.lastUsedAt) : "Never" },
          ]}
        />
      ) : (
        !open && <p className="text-sm text-zinc-600">No credentials yet: the site&apos;s battery cannot be monitored or controlled until they are added.</p>
      )}
      {data?.status === "expiring" && <Notice tone="warning" title="Credential expiring soon" className="mt-4">Ask the household for a new key before it expires.</Notice>}
      {open && (
        <form onSubmit={onSubmit} className="mt-4 grid gap-4 sm:grid-cols-2" aria-label="OEM credentials">
          <SelectField label="OEM" options={OEM_OPTIONS} value={oem} onChange={(e) => isOem(e.target.value) && setOem(e.target.value)} />
          <InputField label="Access token" type="password" autoComplete="off" required hint={pairHint} value={accessToken} onChange={(e) => setAccessToken(e.target.value)} />
          <InputField label="Expires (optional)" type="datetime-local" value={expiresAt} onChange={(e) => setExpiresAt(e.target.value)} />
          {submit.error && (
            <Notice tone="danger" title="Credentials not saved" className="sm:col-span-2">
              {messageOf(submit.error)}
            </Notice>
          )}
          <div className="flex gap-2 sm:col-span-2">
            <Button type="submit" loading={submit.isPending}>Check and save</Button>
            <Button variant="ghost" onClick={() => setOpen(false)}>Cancel</Button>
          </div>
        </form>
      )}
    </Card>
  );
}
