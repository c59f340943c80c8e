"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { formatDateTime, formatNumber } from "@/components/lib/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { CsvFileInput, CsvProblemList, type CsvFile } from "@/components/ui/csv-upload";
import { DataTable } from "@/components/ui/data-table";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { InputField } from "@/components/ui/input-field";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { SelectField } from "@/components/ui/select-field";
import { useTRPC } from "@/app/_trpc/client";
import { messageOf } from "@/app/_trpc/errors";
import { DEFAULT_MARKET } from "@/server/services/market-prices/default-market";
import type { PriceCurveSummary } from "@/server/services/market-prices/market-prices";
import { useRole } from "../../role-context";

const HALF_HOUR_MS = 30 * 60_000;
const DAY_MS = 86_400_000;
const PREVIEW_ROWS = 8;

type CurveRow = PriceCurveSummary;

const SOURCE_LABELS: Record<string, string> = { dashboard_csv: "CSV upload", trpc: "Internal tool", demo: "Demo data" };

function UploadCard({ market, onStored }: { market: string; onStored: () => void }) {
  const trpc = useTRPC();
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState("");
  const [uploadMarket, setUploadMarket] = useState(market);
  const preview = useMutation(trpc.marketPrices.previewCsv.mutationOptions());
  const upload = useMutation(trpc.marketPrices.uploadCsv.mutationOptions());
  const [stored, setStored] = useState<{ pointCount: number; replanned: number | null } | null>(null);

  function onFile(file: CsvFile | null) {
    setStored(null);
    upload.reset();
    if (!file) return;
    setCsv(file.text);
    setFileName(file.name);
    preview.mutate({ csv: file.text, market: uploadMarket });
  }

  function onStore() {
    upload.mutate(
      { csv, market: uploadMarket },
      {
        onSuccess: (result) => {
          setStored({ pointCount: result.curve.pointCount, replanned: result.replannedSessions });
          setCsv("");
          setFileName("");
          preview.reset();
          onStored();
        },
      },
    );
  }

  const checked = preview.data;
  return (
    <Card
      title="Upload a price curve"
      description="A CSV with a header row start,price_gbp_per_mwh and one row per half hour: start as an ISO 8601 instant with a zone (2026-03-01T00:00:00Z), price in £/MWh. A newer curve replaces the prices of the half hours it covers."
    >
      <div className="grid gap-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <InputField label="Market" value={uploadMarket} onChange={(event) => setUploadMarket(event.currentTarget.value.toUpperCase())} hint="WHOLESALE unless the curve is for another market, e.g. DFS." />
          <CsvFileInput id="price-csv-file" onFile={onFile} />
        </div>
        {preview.isPending ? <p className="text-sm text-zinc-600">Checking {fileName}…</p> : null}
        {preview.error ? <Notice tone="danger" title="The file could not be checked">{messageOf(preview.error)}</Notice> : null}
        {checked && !checked.ok ? (
          <Notice tone="danger" title={`${fileName} has ${checked.problems.length + checked.moreProblems} problem${checked.problems.length + checked.moreProblems === 1 ? "" : "s"}; nothing was stored`}>
            <CsvProblemList problems={checked.problems} more={checked.moreProblems} limit={Infinity} />
          </Notice>
        ) : null}
        {checked && checked.ok ? (
          <div className="grid gap-3">
            <p className="text-sm text-zinc-700">
              {fileName}: {formatNumber(checked.pointCount)} half hours from {checked.firstSlotAt ? formatDateTime(checked.firstSlotAt) : "—"} to {checked.lastSlotAt ? formatDateTime(new Date(checked.lastSlotAt.getTime() + HALF_HOUR_MS)) : "—"} (UK time).
            </p>
            <DataTable
              bare
              caption="First rows of the file"
              columns={[
                { key: "start", header: "Half hour starting", render: (row: { slotStart: Date; priceGbpPerMwh: number }) => formatDateTime(row.slotStart) },
                { key: "price", header: "£/MWh", align: "right", render: (row: { slotStart: Date; priceGbpPerMwh: number }) => formatNumber(row.priceGbpPerMwh) },
              ]}
              rows={checked.points.slice(0, PREVIEW_ROWS)}
              getRowKey={(row) => row.slotStart.toISOString()}
            />
            {checked.pointCount > PREVIEW_ROWS ? <p className="text-xs text-zinc-500">…and {formatNumber(checked.pointCount - PREVIEW_ROWS)} more half hours.</p> : null}
            <div>
              <Button variant="primary" loading={upload.isPending} onClick={onStore}>
                Store {formatNumber(checked.pointCount)} prices for {uploadMarket || DEFAULT_MARKET}
              </Button>
            </div>
          </div>
        ) : null}
        {upload.error ? <Notice tone="danger" title="The curve was not stored">{messageOf(upload.error)}</Notice> : null}
        {stored ? (
          <Notice tone="success" title="Curve stored">
            {formatNumber(stored.pointCount)} half hours stored.{" "}
            {stored.replanned === null ? "Open charging sessions will pick the prices up at their next re-plan." : `${stored.replanned} open charging session${stored.replanned === 1 ? " was" : "s were"} re-planned.`}
          </Notice>
        ) : null}
      </div>
    </Card>
  );
}

export function MarketPricesView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = useRole().can("market_prices:write");
  const [market, setMarket] = useState(DEFAULT_MARKET);
  // The chart shows yesterday to the day after tomorrow, so today's and tomorrow's curves are both in view.
  const [range] = useState(() => {
    const dayStart = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    return { from: new Date(dayStart - DAY_MS), to: new Date(dayStart + 3 * DAY_MS) };
  });
  const markets = useQuery(trpc.marketPrices.markets.queryOptions());
  const curves = useQuery(trpc.marketPrices.curves.queryOptions({ market, limit: 50 }));
  const prices = useQuery(trpc.marketPrices.prices.queryOptions({ market, from: range.from, to: range.to }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.marketPrices.pathKey() });

  const marketOptions = [...new Set([DEFAULT_MARKET, ...(markets.data ?? [])])].map((value) => ({ value, label: value }));
  const points = (prices.data ?? []).map((slot) => ({ time: slot.slotStart, values: { price: slot.priceGbpPerMwh } }));

  return (
    <>
      <PageHeader
        title="Market prices"
        description="Half-hourly price curves in £/MWh. The planner prefers charging when prices are low, Flex Lite pauses where they are high, and partners read them from the price-curve endpoints."
      />
      <div className="grid gap-6">
        {canWrite ? <UploadCard market={market} onStored={refresh} /> : null}

        <Card
          title={`Current curve: ${market}`}
          description="The current price of each half hour from yesterday to the day after tomorrow, UK time."
          actions={<SelectField label="Market" hideLabel options={marketOptions} value={market} onChange={(event) => setMarket(event.currentTarget.value)} />}
        >
          {prices.error ? (
            <ErrorState title="Prices could not be loaded" message={messageOf(prices.error)} onRetry={() => void prices.refetch()} />
          ) : (
            <TimeSeriesChart
              title={`${market} price curve`}
              summary={`${points.length} half-hourly prices for ${market}`}
              series={[{ key: "price", label: "Price", unit: "£/MWh", kind: "step", fractionDigits: 2 }]}
              points={points}
              range={{ start: range.from, end: range.to }}
              emptyTitle="No prices for these days"
              emptyDescription={canWrite ? "Upload a CSV above, or post a curve through the API." : "An operator can upload a curve."}
            />
          )}
        </Card>

        <Card title="Curves" description="Every upload or post, newest first." flush>
          {curves.error ? (
            <ErrorState title="Curves could not be loaded" message={messageOf(curves.error)} onRetry={() => void curves.refetch()} />
          ) : (
            <DataTable<CurveRow>
              bare
              caption="Price curves"
              loading={curves.isLoading}
              columns={[
                { key: "created", header: "Stored", render: (row) => formatDateTime(row.createdAt) },
                { key: "market", header: "Market", render: (row) => <Badge tone="neutral">{row.market}</Badge> },
                { key: "covers", header: "Covers", render: (row) => `${formatDateTime(row.firstSlotAt)} – ${formatDateTime(new Date(row.lastSlotAt.getTime() + HALF_HOUR_MS))}` },
                { key: "points", header: "Half hours", align: "right", render: (row) => formatNumber(row.pointCount) },
                { key: "source", header: "Source", hideBelow: "md", render: (row) => SOURCE_LABELS[row.source] ?? row.source },
                { key: "by", header: "By", hideBelow: "lg", render: (row) => row.uploadedBy },
              ]}
              rows={curves.data ?? []}
              getRowKey={(row) => row.id}
              empty={<EmptyState compact title="No curves yet" description="Uploaded and posted curves appear here." />}
            />
          )}
        </Card>
      </div>
    </>
  );
}
