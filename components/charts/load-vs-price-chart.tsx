"use client";

import { useMemo } from "react";
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { formatNumber, formatQuantity, timeAxisTickFormatter, toEpochMs, type Instant } from "../lib/format";
import { londonTimeTicks } from "../lib/time-ticks";
import {
  axisTick,
  ChartFrame,
  ChartLegend,
  ChartTooltipCard,
  cursorFill,
  gridStroke,
  ruleStroke,
  type TooltipRow,
} from "./chart-frame";

export type LoadPricePeriod = {
  /** Start of the settlement period (UTC instant). */
  start: Instant;
  /** Average power over the period; positive is import / charging, negative export. */
  kw: number | null;
  /** Market or tariff price for the period in GBP/MWh. */
  priceGbpPerMwh: number | null;
};

export type LoadVsPriceChartProps = {
  title: string;
  showTitle?: boolean;
  summary?: string;
  periods: LoadPricePeriod[];
  /** Period length; UK settlement periods are 30 minutes. */
  periodMinutes?: number;
  loadLabel?: string;
  priceLabel?: string;
  /** Price unit label; the data is GBP/MWh, shown as "£/MWh". */
  priceUnit?: string;
  height?: number;
  emptyTitle?: string;
  emptyDescription?: string;
  className?: string;
};

const importColor = "var(--chart-1)";
const exportColor = "var(--chart-2)";
const priceColor = "var(--chart-3)";

type Row = {
  midpoint: number;
  start: number;
  importKw: number | null;
  exportKw: number | null;
  kw: number | null;
  price: number | null;
};

/** Half-hourly power as bars (import up, export down) against price as a step line on a second axis. */
export function LoadVsPriceChart({
  title,
  showTitle,
  summary,
  periods,
  periodMinutes = 30,
  loadLabel = "Power",
  priceLabel = "Price",
  priceUnit = "£/MWh",
  height = 280,
  emptyTitle,
  emptyDescription,
  className,
}: LoadVsPriceChartProps) {
  const periodMs = periodMinutes * 60_000;
  const rows = useMemo<Row[]>(
    () =>
      periods
        .map((period) => {
          const start = toEpochMs(period.start);
          const kw = typeof period.kw === "number" && Number.isFinite(period.kw) ? period.kw : null;
          const price =
            typeof period.priceGbpPerMwh === "number" && Number.isFinite(period.priceGbpPerMwh)
              ? period.priceGbpPerMwh
              : null;
          // Bars and the centred step line sit on the period's midpoint so each bar spans its own half hour.
          return {
            midpoint: start + periodMs / 2,
            start,
            kw,
            price,
            importKw: kw !== null && kw >= 0 ? kw : null,
            exportKw: kw !== null && kw < 0 ? kw : null,
          };
        })
        .filter((row) => Number.isFinite(row.start))
        .sort((a, b) => a.start - b.start),
    [periods, periodMs],
  );

  const hasValues = rows.some((row) => row.kw !== null || row.price !== null);
  const hasExport = rows.some((row) => row.exportKw !== null);
  const domainStart = rows[0]?.start ?? 0;
  const domainEnd = (rows[rows.length - 1]?.start ?? 0) + periodMs;
  const ticks = useMemo(() => londonTimeTicks(domainStart, domainEnd), [domainStart, domainEnd]);
  const tickFormatter = useMemo(
    () => timeAxisTickFormatter(domainEnd - domainStart),
    [domainStart, domainEnd],
  );

  function renderTooltip({ active, payload }: TooltipContentProps) {
    const row: unknown = payload[0]?.payload;
    if (!active || !row || typeof row !== "object" || !("start" in row)) return null;
    const { start, kw, price } = row as Row;
    const tooltipRows: TooltipRow[] = [
      {
        key: "kw",
        label: loadLabel,
        color: kw !== null && kw < 0 ? exportColor : importColor,
        value: formatQuantity(kw, "kW", 2),
      },
      { key: "price", label: priceLabel, color: priceColor, value: formatQuantity(price, priceUnit, 2) },
    ];
    return <ChartTooltipCard time={start} timePrefix="From" rows={tooltipRows} />;
  }

  return (
    <ChartFrame
      title={title}
      showTitle={showTitle}
      summary={summary}
      height={height}
      isEmpty={!hasValues}
      emptyTitle={emptyTitle}
      emptyDescription={emptyDescription}
      className={className}
      footnote={
        <div className="flex flex-wrap items-center justify-between gap-2">
          <ChartLegend
            items={[
              {
                key: "import",
                label: hasExport ? `${loadLabel}, import (kW)` : `${loadLabel} (kW)`,
                color: importColor,
                shape: "block",
              },
              ...(hasExport
                ? [
                    {
                      key: "export",
                      label: `${loadLabel}, export (kW)`,
                      color: exportColor,
                      shape: "block" as const,
                    },
                  ]
                : []),
              { key: "price", label: `${priceLabel} (${priceUnit})`, color: priceColor },
            ]}
          />
          <span>UK time</span>
        </div>
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 16, right: 4, bottom: 0, left: 4 }} barCategoryGap="12%">
          <CartesianGrid stroke={gridStroke} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="midpoint"
            type="number"
            scale="time"
            domain={[domainStart, domainEnd]}
            ticks={ticks}
            tickFormatter={tickFormatter}
            tick={axisTick}
            tickLine={false}
            axisLine={{ stroke: gridStroke }}
            minTickGap={16}
          />
          <YAxis
            yAxisId="kw"
            tick={axisTick}
            tickLine={false}
            axisLine={false}
            width={52}
            tickFormatter={(value: number) => formatNumber(value, 1)}
            label={{
              value: "kW",
              angle: -90,
              position: "insideLeft",
              style: { ...axisTick, textAnchor: "middle" },
            }}
          />
          <YAxis
            yAxisId="price"
            orientation="right"
            tick={axisTick}
            tickLine={false}
            axisLine={false}
            width={56}
            tickFormatter={(value: number) => formatNumber(value, 0)}
            label={{
              value: priceUnit,
              angle: 90,
              position: "insideRight",
              style: { ...axisTick, textAnchor: "middle" },
            }}
          />
          {hasExport ? <ReferenceLine yAxisId="kw" y={0} stroke={ruleStroke} /> : null}
          <Bar
            yAxisId="kw"
            dataKey="importKw"
            name={loadLabel}
            stackId="kw"
            fill={importColor}
            fillOpacity={0.85}
            radius={[2, 2, 0, 0]}
            isAnimationActive={false}
          />
          {hasExport ? (
            <Bar
              yAxisId="kw"
              dataKey="exportKw"
              name={`${loadLabel} export`}
              stackId="kw"
              fill={exportColor}
              fillOpacity={0.85}
              radius={[0, 0, 2, 2]}
              isAnimationActive={false}
            />
          ) : null}
          <Line
            yAxisId="price"
            dataKey="price"
            name={priceLabel}
            type="step"
            stroke={priceColor}
            strokeWidth={2}
            dot={false}
            activeDot={{ r: 3.5 }}
            isAnimationActive={false}
          />
          <Tooltip content={renderTooltip} cursor={{ fill: cursorFill }} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
