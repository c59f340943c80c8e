"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { FilterBar } from "@/components/ui/filter-bar";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { SearchInput } from "@/components/ui/search-input";
import { SelectField } from "@/components/ui/select-field";
import { buttonClassName } from "@/components/ui/button";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { useRole } from "../role-context";
import { assetTypeLabel, assetTypeOptions, eligibilityOptions, propositionLabel, ASSET_TYPE_LABELS, PROPOSITION_LABELS } from "./labels";

const PAGE_SIZE = 50;
type AssetType = "battery" | "charger" | "electric_vehicle" | "heat_pump" | "hot_water_tank" | "solar_pv";
type Eligibility = "limited_pause" | "full_asset_schedule_control" | "vpp_limited_control" | "full_asset_control" | "any" | "none";

interface SiteListRow {
  id: string;
  mpan: string;
  mpanCheckDigitValid: boolean;
  postcode: string;
  streetAddress: string | null;
  email: string | null;
  status: string;
  eligiblePropositions: string[];
  assets: { id: string; externalId: string; type: string }[];
}

function isAssetType(value: string | null): value is AssetType {
  return value !== null && value in ASSET_TYPE_LABELS;
}
function isEligibility(value: string | null): value is Eligibility {
  return value !== null && (value === "any" || value === "none" || value in PROPOSITION_LABELS);
}

/** The list's state lives in the URL so a filtered list can be shared and survives reload. */
export function SitesView() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const { can } = useRole();
  const canWrite = can("sites:write");
  const search = params.get("q") ?? "";
  const typeParam = params.get("type");
  const eligibilityParam = params.get("eligibility");
  const assetType = isAssetType(typeParam) ? typeParam : undefined;
  const eligibility = isEligibility(eligibilityParam) ? eligibilityParam : undefined;
  const offset = Math.max(0, Number.parseInt(params.get("offset") ?? "0", 10) || 0);

  const setParams = useCallback(
    (changes: Record<string, string | undefined>) => {
      const next = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(changes)) {
        if (value === undefined || value === "") next.delete(key);
        else next.set(key, value);
      }
      // Any change to what is listed starts again at the first page.
      if (!("offset" in changes)) next.delete("offset");
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );

  const list = useQuery({
    ...trpc.sites.list.queryOptions({
      limit: PAGE_SIZE,
      offset,
      ...(search ? { search } : {}),
      ...(assetType ? { assetType } : {}),
      ...(eligibility ? { eligibility } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const filterCount = (search ? 1 : 0) + (assetType ? 1 : 0) + (eligibility ? 1 : 0);
  const exportQuery = new URLSearchParams({ ...(search ? { q: search } : {}), ...(assetType ? { type: assetType } : {}), ...(eligibility ? { eligibility } : {}) }).toString();
  const rows = (list.data?.items ?? []) as SiteListRow[];

  return (
    <>
      <PageHeader
        title="Sites"
        description="Every site in your fleet, its assets and what it is eligible for."
        actions={
          canWrite ? (
            <div className="flex flex-wrap gap-2">
              <ButtonLink href="/sites/import" variant="secondary">
                Import CSV
              </ButtonLink>
              <ButtonLink href="/sites/new" variant="primary">
                Add site
              </ButtonLink>
            </div>
          ) : undefined
        }
      />
      <FilterBar
        search={
          <SearchInput
            label="Search sites"
            placeholder="MPAN, postcode, address, email or asset id"
            defaultValue={search}
            onChange={(value) => setParams({ q: value })}
          />
        }
        activeFilterCount={filterCount}
        onClear={() => router.replace(pathname, { scroll: false })}
        actions={
          can("sites:export") ? (
            <a className={buttonClassName({ variant: "secondary" })} href={`/api/export/sites.csv${exportQuery ? `?${exportQuery}` : ""}`} download>
              Export CSV
            </a>
          ) : undefined
        }
      >
        <SelectField label="Asset type" hideLabel placeholder="All asset types" options={assetTypeOptions} value={assetType ?? ""} onChange={(e) => setParams({ type: e.target.value })} />
        <SelectField label="Eligibility" hideLabel placeholder="Any eligibility" options={eligibilityOptions} value={eligibility ?? ""} onChange={(e) => setParams({ eligibility: e.target.value })} />
      </FilterBar>
      {list.error ? (
        <ErrorState title="Sites could not be loaded" message={messageOf(list.error)} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable<SiteListRow>
          caption="Sites"
          loading={list.isLoading}
          rows={rows}
          getRowKey={(r) => r.id}
          rowHref={(r) => `/sites/${r.id}`}
          rowLinkLabel={(r) => `Open site ${r.mpan}`}
          empty={
            filterCount > 0 ? (
              <EmptyState compact title="No site matches" description="Try fewer words, part of an MPAN or postcode, or clear the filters." />
            ) : (
              <EmptyState
                title="No sites yet"
                description="Sites arrive from partners through the API, from a CSV import, or are added here."
                action={canWrite ? <ButtonLink href="/sites/new" variant="primary">Add site</ButtonLink> : undefined}
              />
            )
          }
          columns={[
            {
              key: "mpan",
              header: "MPAN",
              className: "font-mono",
              render: (r) => (
                <span>
                  {r.mpan}
                  {!r.mpanCheckDigitValid ? (
                    <Badge tone="warning" className="ml-2" title="The MPAN fails its check digit">
                      check digit
                    </Badge>
                  ) : null}
                </span>
              ),
            },
            {
              key: "address",
              header: "Address",
              render: (r) => (
                <div>
                  <div className="text-zinc-900">{r.streetAddress ?? "—"}</div>
                  <div className="text-zinc-500">{r.postcode}</div>
                </div>
              ),
            },
            { key: "email", header: "Customer", hideBelow: "lg", render: (r) => r.email ?? "—" },
            {
              key: "assets",
              header: "Assets",
              hideBelow: "md",
              render: (r) =>
                r.assets.length === 0 ? (
                  <span className="text-zinc-500">None</span>
                ) : (
                  <div className="flex flex-wrap gap-1">
                    {r.assets.slice(0, 3).map((a) => (
                      <Badge key={a.id} title={a.externalId}>
                        {assetTypeLabel(a.type)}
                      </Badge>
                    ))}
                    {r.assets.length > 3 ? <Badge>+{r.assets.length - 3}</Badge> : null}
                  </div>
                ),
            },
            {
              key: "eligibility",
              header: "Eligible for",
              hideBelow: "sm",
              render: (r) =>
                r.status === "offboarded" ? (
                  <Badge tone="neutral">Offboarded</Badge>
                ) : r.eligiblePropositions.length === 0 ? (
                  <Badge tone="warning">Nothing yet</Badge>
                ) : (
                  <div className="flex flex-wrap gap-1">
                    {r.eligiblePropositions.map((p) => (
                      <Badge key={p} tone="success">
                        {propositionLabel(p)}
                      </Badge>
                    ))}
                  </div>
                ),
            },
          ]}
        />
      )}
      {list.data && list.data.total > 0 ? (
        <Pagination className="mt-4" total={list.data.total} offset={offset} limit={PAGE_SIZE} onPageChange={(o) => setParams({ offset: o > 0 ? String(o) : undefined })} noun="sites" />
      ) : null}
    </>
  );
}
