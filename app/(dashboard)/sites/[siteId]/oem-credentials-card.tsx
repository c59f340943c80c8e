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
const TOKEN_TYPE_OPTIONS = [
  { value: "API_KEY", label: "API key" },
  { value: "Bearer", label: "OAuth bearer token" },
];
type TokenTypeValue = "API_KEY" | "Bearer";
const isTokenType = (v: string): v is TokenTypeValue => v === "API_KEY" || v === "Bearer";
const STATUS_TONE = { valid: "success", expiring: "warning", expired: "danger", rejected: "danger" } as const;
const STATUS_LABEL = { valid: "Valid", expiring: "Expiring", expired: "Expired", rejected: "Rejected by OEM" } as const;

/** The site page's "OEM credentials" step: status of the stored credential and a form to replace it. */
export function OemCredentialsCard({ siteId }: { siteId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useRole().can("credentials:write");
  const credential = useQuery(trpc.batteries.credential.queryOptions({ siteId }));
  // The form starts on the OEM of the site's battery (typed in on this page or sent by the partner).
  const siteAssets = useQuery(trpc.sites.assets.queryOptions({ siteId }));
  const assetOem = siteAssets.data?.items.find((a) => a.type === "battery" && a.oem !== null && isOem(a.oem))?.oem;
  const [open, setOpen] = useState(false);
  const [oem, setOem] = useState<OemValue>("givenergy");
  const [tokenType, setTokenType] = useState<TokenTypeValue>("API_KEY");
  const [accessToken, setAccessToken] = useState("");
  const [refreshToken, setRefreshToken] = useState("");
  const [expiresAt, setExpiresAt] = useState("");
  const submit = useMutation(
    trpc.batteries.submitCredential.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        setAccessToken("");
        setRefreshToken("");
        void queryClient.invalidateQueries({ queryKey: trpc.batteries.pathKey() });
      },
    }),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // The refresh token only travels with a bearer token: an API key has nothing to refresh.
    const refresh = tokenType === "Bearer" && refreshToken.trim() !== "" ? { refreshToken: refreshToken.trim() } : {};
    submit.mutate({ siteId, oem, tokenType, accessToken, ...refresh, ...(expiresAt ? { expiresAt: new Date(expiresAt) } : {}) });
  };
  const data = credential.data;
  const pairHint =
    oem === "solis" || oem === "sigenergy"
      ? 'Enter "key id:secret" as issued by the OEM.'
      : tokenType === "Bearer"
        ? "The OAuth access token issued by the OEM."
        : "The API key issued by the OEM.";

  return (
    <Card
      title="OEM credentials"
      description="The household's battery cloud account. Checked with the OEM when submitted, stored encrypted and never shown again."
      className="mt-6"
      actions={
        canWrite && !open ? (
          <Button
            size="sm"
            variant="secondary"
            onClick={() => {
              if (assetOem && isOem(assetOem)) setOem(assetOem);
              setOpen(true);
            }}
          >{data ? "Replace credentials" : "Add credentials"}
          </Button>
        ) : undefined
      }
    >
      {credential.isLoading ? (
        <SkeletonText lines={3} />
      ) : data ? (
        <DescriptionList
          items={[
            { term: "OEM", description: OEM_OPTIONS.find((o) => o.value === data.oem)?.label ?? data.oem },
            { term: "Type", description: data.tokenType === "API_KEY" ? "API key" : data.refreshable ? "OAuth bearer token, renewed automatically" : "OAuth bearer token" },
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
        <form method="post" onSubmit={onSubmit} className="mt-4 grid gap-4 sm:grid-cols-2" aria-label="OEM credentials">
          <SelectField label="OEM" options={OEM_OPTIONS} value={oem} onChange={(e) => isOem(e.target.value) && setOem(e.target.value)} />
          <SelectField label="Token type" options={TOKEN_TYPE_OPTIONS} value={tokenType} onChange={(e) => isTokenType(e.target.value) && setTokenType(e.target.value)} />
          <InputField label="Access token" type="password" autoComplete="off" required hint={pairHint} value={accessToken} onChange={(e) => setAccessToken(e.target.value)} />
          {tokenType === "Bearer" && (
            <InputField
              label="Refresh token (optional)"
              type="password"
              autoComplete="off"
              hint="With a refresh token the platform renews the access token before it expires."
              value={refreshToken}
              onChange={(e) => setRefreshToken(e.target.value)}
            />
          )}
          <InputField
            label={tokenType === "Bearer" ? "Access token expires" : "Expires (optional)"}
            type="datetime-local"
            required={tokenType === "Bearer" && refreshToken.trim() !== ""}
            hint={tokenType === "Bearer" ? "Your local time. Needed to refresh in time." : undefined}
            value={expiresAt}
            onChange={(e) => setExpiresAt(e.target.value)}
          />
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
