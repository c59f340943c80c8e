"use client";

import { useMemo } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from "recharts";
import { formatNumber, formatQuantity, timeAxisTickFormatter, toEpochMs, type Instant } from "../lib/format";
import { londonTimeTicks } from "../lib/time-ticks";
import type { Tone } from "../lib/tone";
import {
  axisTick,
  ChartFrame,
  ChartLegend,
  ChartTooltipCard,
  gridStroke,
  paletteColor,
  ruleStroke,
  toneColors,
  type TooltipRow,
} from "./chart-frame";

export type TimeSeriesDefinition = {
  /** Key into each point's `values`. */
  key: string;
  label: string;
  /** "kW", "kWh", "%", "£/MWh" ... shown on the axis and in the tooltip. */
  unit: string;
  color?: string;
  /** line (default); area (filled); step (holds each value until the next point: half-hourly prices, modes). */
  kind?: "line" | "area" | "step";
  /** Plot against a second axis on the right (e.g. SoC % next to kW). */
  axis?: "left" | "right";
  dashed?: boolean;
  fractionDigits?: number;
};

export type TimeSeriesPoint = {
  /** A UTC instant. */
  time: Instant;
  /** Missing or null values leave a gap. */
  values: Record<string, number | null | undefined>;
};

/** A vertical annotation, e.g. "Mode → EXPORT_FOCUS" or "Plug-in". */
export type ChartMarker = { time: Instant; label: string; tone?: Tone };

/** A shaded span, e.g. a grid event window or an off-peak period. */
export type ChartWindow = { start: Instant; end: Instant; label?: string; tone?: Tone };

export type TimeSeriesChartProps = {
  /** Accessible name (and caption when showTitle). */
  title: string;
  showTitle?: boolean;
  /** Screen-reader summary of what the chart shows. */
  summary?: string;
  series: TimeSeriesDefinition[];
  points: TimeSeriesPoint[];
  markers?: ChartMarker[];
  windows?: ChartWindow[];
  /** Fix the time range (e.g. the whole day even when data stops at noon). */
  range?: { start: Instant; end: Instant };
  height?: number;
  emptyTitle?: string;
  emptyDescription?: string;
  className?: string;
};

const timeKey = "__time";
type ChartRow = Record<string, number | null>;

function axisUnit(series: TimeSeriesDefinition[]): string {
  return Array.from(new Set(series.map((definition) => definition.unit))).join(" / ");
}

/** Multi-series time chart on a UK-time axis, with optional event markers and shaded windows. */
export function TimeSeriesChart({
  title,
  showTitle,
  summary,
  series,
  points,
  markers = [],
  windows = [],
  range,
  height = 280,
  emptyTitle,
  emptyDescription,
  className,
}: TimeSeriesChartProps) {
  const rows = useMemo(
    () =>
      points
        .map((point) => {
          const row: ChartRow = { [timeKey]: toEpochMs(point.time) };
          for (const definition of series) {
            const value = point.values[definition.key];
            row[definition.key] = typeof value === "number" && Number.isFinite(value) ? value : null;
          }
          return row;
        })
        .filter((row) => Number.isFinite(row[timeKey]))
        .sort((a, b) => (a[timeKey] ?? 0) - (b[timeKey] ?? 0)),
    [points, series],
  );

  const hasValues = rows.some((row) => series.some((definition) => row[definition.key] !== null));
  const start = range ? toEpochMs(range.start) : (rows[0]?.[timeKey] ?? 0);
  const end = range ? toEpochMs(range.end) : (rows[rows.length - 1]?.[timeKey] ?? 0);
  const ticks = useMemo(() => londonTimeTicks(start, end), [start, end]);
  const tickFormatter = useMemo(() => timeAxisTickFormatter(end - start), [start, end]);

  const colored = series.map((definition, index) => ({
    ...definition,
    color: definition.color ?? paletteColor(index),
  }));
  const leftSeries = colored.filter((definition) => definition.axis !== "right");
  const rightSeries = colored.filter((definition) => definition.axis === "right");
  const byKey = new Map(colored.map((definition) => [definition.key, definition]));

  function renderTooltip({ active, payload, label }: TooltipContentProps) {
    if (!active) return null;
    const tooltipRows: TooltipRow[] = [];
    for (const entry of payload) {
      const definition = typeof entry.dataKey === "string" ? byKey.get(entry.dataKey) : undefined;
      if (!definition || typeof entry.value !== "number") continue;
      tooltipRows.push({
        key: definition.key,
        label: definition.label,
        color: definition.color,
        value: formatQuantity(entry.value, definition.unit, definition.fractionDigits ?? 1),
      });
    }
    return <ChartTooltipCard time={typeof label === "number" ? label : undefined} rows={tooltipRows} />;
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
              ...colored.map((definition) => ({
                key: definition.key,
                label: `${definition.label} (${definition.unit})`,
                color: definition.color,
                dashed: definition.dashed,
                shape: definition.kind === "area" ? ("block" as const) : ("line" as const),
              })),
              ...windows
                .filter((shade) => shade.label)
                .map((shade, index) => ({
                  key: `window-${index}`,
                  label: shade.label ?? "",
                  color: toneColors[shade.tone ?? "info"],
                  shape: "block" as const,
                })),
            ]}
          />
          <span>UK time</span>
        </div>
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart
          data={rows}
          margin={{ top: 16, right: rightSeries.length > 0 ? 4 : 12, bottom: 0, left: 4 }}
        >
          <CartesianGrid stroke={gridStroke} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey={timeKey}
            type="number"
            scale="time"
            domain={[start, end]}
            ticks={ticks}
            tickFormatter={tickFormatter}
            tick={axisTick}
            tickLine={false}
            axisLine={{ stroke: gridStroke }}
            minTickGap={16}
            allowDataOverflow
          />
          <YAxis
            yAxisId="left"
            tick={axisTick}
            tickLine={false}
            axisLine={false}
            width={52}
            tickFormatter={(value: number) => formatNumber(value, 1)}
            label={{
              value: axisUnit(leftSeries),
              angle: -90,
              position: "insideLeft",
              style: { ...axisTick, textAnchor: "middle" },
            }}
          />
          {rightSeries.length > 0 ? (
            <YAxis
              yAxisId="right"
              orientation="right"
              tick={axisTick}
              tickLine={false}
              axisLine={false}
              width={52}
              tickFormatter={(value: number) => formatNumber(value, 1)}
              label={{
                value: axisUnit(rightSeries),
                angle: 90,
                position: "insideRight",
                style: { ...axisTick, textAnchor: "middle" },
              }}
            />
          ) : null}
          {windows.map((shade, index) => (
            <ReferenceArea
              key={`window-${index}`}
              yAxisId="left"
              x1={toEpochMs(shade.start)}
              x2={toEpochMs(shade.end)}
              fill={toneColors[shade.tone ?? "info"]}
              fillOpacity={0.08}
              strokeOpacity={0}
              ifOverflow="hidden"
            />
          ))}
          {colored.map((definition) => {
            const common = {
              dataKey: definition.key,
              name: definition.label,
              yAxisId: definition.axis === "right" ? "right" : "left",
              stroke: definition.color,
              strokeWidth: 2,
              strokeDasharray: definition.dashed ? "5 4" : undefined,
              dot: false,
              activeDot: { r: 3.5 },
              isAnimationActive: false,
              connectNulls: false,
            };
            return definition.kind === "area" ? (
              <Area
                {...common}
                key={definition.key}
                type="monotone"
                fill={definition.color}
                fillOpacity={0.12}
              />
            ) : (
              <Line
                {...common}
                key={definition.key}
                type={definition.kind === "step" ? "stepAfter" : "monotone"}
              />
            );
          })}
          {markers.map((marker, index) => (
            <ReferenceLine
              key={`marker-${index}`}
              yAxisId="left"
              x={toEpochMs(marker.time)}
              stroke={toneColors[marker.tone ?? "neutral"]}
              strokeDasharray="4 3"
              ifOverflow="hidden"
              label={{
                value: marker.label,
                position: "insideTopLeft",
                fontSize: 11,
                fill: toneColors[marker.tone ?? "neutral"],
              }}
            />
          ))}
          <Tooltip
            content={renderTooltip}
            cursor={{ stroke: ruleStroke, strokeWidth: 1 }}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
