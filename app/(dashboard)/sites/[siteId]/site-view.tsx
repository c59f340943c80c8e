"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDate, formatDateTime } from "@/components/lib/format";
import { Badge, StatusPill } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { DescriptionList } from "@/components/ui/description-list";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { LoadingState, SkeletonText } from "@/components/ui/skeleton";
import { eligibilityIssueMessages, type EligibilityIssueCode } from "@/server/domain/inventory";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf, messageOf } from "@/app/_trpc/errors";
import { SiteCoordinationCard } from "../../coordination-activity";
import { useRole } from "../../role-context";
import { assetTypeLabel, PROPOSITION_LABELS, propositionLabel } from "../labels";
import { SiteForm } from "../site-form";
import { AddAssetForm } from "./add-asset-form";
import { ConsentSection } from "./consent-section";
import { OemCredentialsCard } from "./oem-credentials-card";

function issueText(code: string): string {
  return eligibilityIssueMessages[code as EligibilityIssueCode] ?? code.replace(/_/g, " ");
}

export function SiteView({ siteId }: { siteId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useRole().can("sites:write");
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const [addingAsset, setAddingAsset] = useState(false);
  const [addedAsset, setAddedAsset] = useState<{ externalId: string; type: string; oem: string | null } | null>(null);
  const site = useQuery(trpc.sites.get.queryOptions({ siteId }));
  const eligibility = useQuery({ ...trpc.sites.eligibility.queryOptions({ siteId }), enabled: site.isSuccess });
  const meters = useQuery({ ...trpc.siteDetails.meters.queryOptions({ siteId }), enabled: site.isSuccess });
  const update = useMutation(
    trpc.sites.update.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        setSaved(true);
        void queryClient.invalidateQueries({ queryKey: trpc.sites.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.siteDetails.pathKey() });
      },
    }),
  );

  if (site.isLoading) return <LoadingState label="Loading site" />;
  if (site.error || !site.data) {
    // A malformed id in the URL is as missing as an unknown one.
    const missing = site.error?.data?.code === "NOT_FOUND" || site.error?.data?.code === "BAD_REQUEST";
    return (
      <>
        <PageHeader eyebrow={<Link href="/sites">← Sites</Link>} title="Site" />
        <ErrorState
          title={missing ? "Site not found" : "The site could not be loaded"}
          message={missing ? "It may have been deleted, or it belongs to another organisation." : messageOf(site.error)}
          {...(missing ? {} : { onRetry: () => void site.refetch() })}
        />
      </>
    );
  }
  const s = site.data;
  const warnings: string[] = [];
  if (!s.mpanCheckDigitValid) warnings.push("The MPAN fails its check digit. The site is kept but is not eligible for anything until the MPAN is corrected.");
  if (s.assets.length === 0) warnings.push("The site has no assets yet, so it cannot take part in any proposition.");
  if (s.isHalfHourlySettled === null) warnings.push("Whether the meter is half-hourly settled is not known: propositions set to require it (Settings, Asset models) treat it as not settled.");
  if (s.gaveBoundaryMeterConsentAt === null) warnings.push("No boundary meter consent is recorded.");

  return (
    <>
      <PageHeader
        eyebrow={<Link href="/sites">← Sites</Link>}
        title={<span className="font-mono">{s.mpan}</span>}
        meta={<StatusPill status={s.status} />}
        description={[s.streetAddress, s.postcode].filter(Boolean).join(", ")}
        actions={
          canWrite && !editing ? (
            <Button
              variant="secondary"
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              Edit site
            </Button>
          ) : undefined
        }
      />
      {saved ? (
        <Notice tone="success" className="mb-6" onDismiss={() => setSaved(false)}>
          Site saved.
        </Notice>
      ) : null}
      {warnings.length > 0 ? (
        <Notice tone="warning" title="Needs attention" className="mb-6">
          <ul className="list-disc pl-5">
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Details">
          {editing ? (
            <SiteForm
              initial={s}
              submitLabel="Save changes"
              busy={update.isPending}
              serverErrors={fieldErrorsOf(update.error)}
              serverMessage={update.error ? messageOf(update.error) : undefined}
              onSubmit={(values) => update.mutate({ siteId, ...values })}
              onCancel={() => {
                setEditing(false);
                update.reset();
              }}
            />
          ) : (
            <DescriptionList
              columns={2}
              items={[
                { term: "MPAN", description: s.mpan, mono: true },
                { term: "Postcode", description: s.postcode },
                { term: "Street address", description: s.streetAddress, wide: true },
                { term: "Customer email", description: s.email },
                { term: "Half-hourly settled", description: s.isHalfHourlySettled === null ? "Not known" : s.isHalfHourlySettled ? "Yes" : "No" },
                { term: "Boundary meter consent", description: s.gaveBoundaryMeterConsentAt ? `Given ${formatDate(s.gaveBoundaryMeterConsentAt)}` : "Not given" },
                { term: "Time zone", description: s.timeZone },
                { term: "Tariff", description: s.tariff ? s.tariff.tariffType : null },
                { term: "Added", description: formatDateTime(s.createdAt) },
              ]}
            />
          )}
        </Card>
        <Card title="Eligibility" description="What the site may take part in, and why not where it may not.">
          {eligibility.isLoading ? (
            <SkeletonText lines={4} />
          ) : eligibility.error || !eligibility.data ? (
            <ErrorState title="Eligibility could not be worked out" message={messageOf(eligibility.error)} onRetry={() => void eligibility.refetch()} />
          ) : (
            <ul className="divide-y divide-zinc-100">
              {Object.keys(PROPOSITION_LABELS).map((proposition) => {
                const verdict = eligibility.data.propositions[proposition as keyof typeof eligibility.data.propositions];
                return (
                  <li key={proposition} className="py-3 first:pt-0 last:pb-0">
                    <div className="flex items-center justify-between gap-3">
                      <span className="font-medium text-zinc-900">{propositionLabel(proposition)}</span>
                      {verdict?.eligible ? <Badge tone="success">Eligible</Badge> : <Badge tone="warning">Not eligible</Badge>}
                    </div>
                    {verdict && !verdict.eligible && verdict.issues.length > 0 ? (
                      <ul className="mt-1 list-disc pl-5 text-sm text-zinc-600">
                        {verdict.issues.map((code) => (
                          <li key={code}>
                            {issueText(code)} <span className="font-mono text-xs text-zinc-400">{code}</span>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
      </div>
      <Card
        title="Assets"
        className="mt-6"
        flush
        actions={
          canWrite && !addingAsset && s.status !== "offboarded" ? (
            <Button
              size="sm"
              variant="secondary"
              onClick={() => {
                setAddedAsset(null);
                setAddingAsset(true);
              }}
            >
              Add asset
            </Button>
          ) : undefined
        }
      >
        {addingAsset ? (
          <div className="border-b border-zinc-200">
            <AddAssetForm
              siteId={siteId}
              onAdded={(asset) => {
                setAddingAsset(false);
                setAddedAsset(asset);
              }}
              onCancel={() => setAddingAsset(false)}
            />
          </div>
        ) : null}
        {addedAsset ? (
          <Notice tone="success" className="m-4" onDismiss={() => setAddedAsset(null)}>
            {assetTypeLabel(addedAsset.type)} {addedAsset.externalId} added.
            {addedAsset.oem ? " Next: add the household's manufacturer-cloud credentials below, so it can be monitored and controlled." : ""}
          </Notice>
        ) : null}
        <DataTable
          bare
          caption="Assets at this site"
          rows={s.assets}
          getRowKey={(a) => a.id}
          rowHref={(a) => `/sites/${siteId}/assets/${a.id}`}
          rowLinkLabel={(a) => `Open asset ${a.externalId}`}
          empty={<EmptyState compact title="No assets" description="Partners add assets through the API; you can add one here with Add asset, or many with a CSV import." />}
          columns={[
            { key: "externalId", header: "External id", className: "font-mono", render: (a) => a.externalId },
            { key: "type", header: "Type", render: (a) => assetTypeLabel(a.type) },
            {
              key: "eligible",
              header: "Eligible for",
              hideBelow: "sm",
              render: (a) => {
                const verdicts = eligibility.data?.assets.find((x) => x.assetId === a.id)?.propositions;
                if (!verdicts) return "—";
                const eligible = Object.entries(verdicts).filter(([, v]) => v.eligible).map(([p]) => p);
                return eligible.length === 0 ? <span className="text-zinc-500">Nothing</span> : eligible.map(propositionLabel).join(", ");
              },
            },
          ]}
        />
      </Card>
      <Card title="Meters" className="mt-6" flush>
        {meters.error ? (
          <div className="p-4">
            <ErrorState title="Meters could not be loaded" message={messageOf(meters.error)} onRetry={() => void meters.refetch()} />
          </div>
        ) : (
          <DataTable
            bare
            caption="Meters at this site"
            loading={meters.isLoading}
            rows={meters.data ?? []}
            getRowKey={(m) => m.id}
            empty={<EmptyState compact title="No meters" description="Meters are registered by partners for the site's customer." />}
            columns={[
              { key: "meterPointId", header: "Meter point", className: "font-mono", render: (m) => m.meterPointId },
              { key: "meterNumber", header: "Meter number", render: (m) => m.meterNumber ?? "—" },
              { key: "address", header: "Address", hideBelow: "sm", render: (m) => [m.street, m.city, m.zipCode].filter(Boolean).join(", ") },
              { key: "location", header: "Location", hideBelow: "md", render: (m) => m.locationType ?? "—" },
            ]}
          />
        )}
      </Card>
      <SiteCoordinationCard siteId={siteId} />
      <OemCredentialsCard siteId={siteId} />
      <ConsentSection siteId={siteId} siteStatus={s.status} householderEmail={s.email} />
    </>
  );
}
