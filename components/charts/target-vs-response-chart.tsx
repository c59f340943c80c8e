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
import {
  axisTick,
  ChartFrame,
  ChartLegend,
  ChartTooltipCard,
  gridStroke,
  ruleStroke,
  toneColors,
  type TooltipRow,
} from "./chart-frame";

export type TargetResponsePoint = {
  /** A UTC instant (interval start for half-hourly data). */
  time: Instant;
  /** What the fleet was asked to do, in kW (positive import). Null outside the event. */
  targetKw: number | null;
  /** What was measured, in kW. */
  actualKw: number | null;
  /** The counterfactual the delivery is verified against, if known. */
  baselineKw?: number | null;
};

export type TargetVsResponseChartProps = {
  title: string;
  showTitle?: boolean;
  summary?: string;
  points: TargetResponsePoint[];
  /** The event window, shaded. */
  eventWindow?: { start: Instant; end: Instant; label?: string };
  /** The acceptable response inside the window (e.g. from the under-delivery threshold up to the target), shaded. */
  targetBand?: { fromKw: number; toKw: number; label?: string };
  /** The current instant, drawn as a vertical line when it falls on the axis. */
  now?: Instant;
  /** The time axis from start to end, whatever the points cover (points may end at now). */
  domain?: { start: Instant; end: Instant };
  targetLabel?: string;
  actualLabel?: string;
  baselineLabel?: string;
  height?: number;
  emptyTitle?: string;
  emptyDescription?: string;
  className?: string;
};

const targetColor = "var(--chart-danger)";
const actualColor = "var(--chart-1)";
const baselineColor = "var(--chart-neutral)";
const bandColor = "var(--chart-success)";
const nowColor = "var(--chart-warning)";

type Row = { time: number; target: number | null; actual: number | null; baseline: number | null };

function finiteOrNull(value: number | null | undefined): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** A grid event's target kW (step line) against the fleet's actual kW (area), with an optional baseline. */
export function TargetVsResponseChart({
  title,
  showTitle,
  summary,
  points,
  eventWindow,
  targetBand,
  now,
  domain,
  targetLabel = "Target",
  actualLabel = "Actual",
  baselineLabel = "Baseline",
  height = 280,
  emptyTitle,
  emptyDescription,
  className,
}: TargetVsResponseChartProps) {
  const rows = useMemo<Row[]>(
    () =>
      points
        .map((point) => ({
          time: toEpochMs(point.time),
          target: finiteOrNull(point.targetKw),
          actual: finiteOrNull(point.actualKw),
          baseline: finiteOrNull(point.baselineKw),
        }))
        .filter((row) => Number.isFinite(row.time))
        .sort((a, b) => a.time - b.time),
    [points],
  );

  const hasValues = rows.some((row) => row.target !== null || row.actual !== null);
  const hasBaseline = rows.some((row) => row.baseline !== null);
  const crossesZero = rows.some((row) =>
    [row.target, row.actual, row.baseline].some((value) => value !== null && value < 0),
  );
  const start = domain ? toEpochMs(domain.start) : (rows[0]?.time ?? 0);
  const end = domain ? toEpochMs(domain.end) : (rows[rows.length - 1]?.time ?? 0);
  const nowMs = now === undefined ? null : toEpochMs(now);
  const showNow = nowMs !== null && nowMs >= start && nowMs <= end;
  const ticks = useMemo(() => londonTimeTicks(start, end), [start, end]);
  const tickFormatter = useMemo(() => timeAxisTickFormatter(end - start), [start, end]);

  function renderTooltip({ active, payload, label }: TooltipContentProps) {
    const row: unknown = payload[0]?.payload;
    if (!active || !row || typeof row !== "object" || !("time" in row)) return null;
    const { target, actual, baseline } = row as Row;
    const tooltipRows: TooltipRow[] = [
      { key: "target", label: targetLabel, color: targetColor, value: formatQuantity(target, "kW", 2) },
      { key: "actual", label: actualLabel, color: actualColor, value: formatQuantity(actual, "kW", 2) },
    ];
    if (hasBaseline)
      tooltipRows.push({
        key: "baseline",
        label: baselineLabel,
        color: baselineColor,
        value: formatQuantity(baseline, "kW", 2),
      });
    if (target !== null && actual !== null) {
      tooltipRows.push({
        key: "gap",
        label: "Actual − target",
        color: "transparent",
        value: formatQuantity(actual - target, "kW", 2),
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
              { key: "target", label: `${targetLabel} (kW)`, color: targetColor, dashed: true },
              { key: "actual", label: `${actualLabel} (kW)`, color: actualColor, shape: "block" },
              ...(hasBaseline
                ? [{ key: "baseline", label: `${baselineLabel} (kW)`, color: baselineColor, dashed: true }]
                : []),
              ...(eventWindow
                ? [
                    {
                      key: "window",
                      label: eventWindow.label ?? "Event window",
                      color: toneColors.info,
                      shape: "block" as const,
                    },
                  ]
                : []),
              ...(eventWindow && targetBand
                ? [{ key: "band", label: targetBand.label ?? "Target band", color: bandColor, shape: "block" as const }]
                : []),
              ...(showNow ? [{ key: "now", label: "Now", color: nowColor }] : []),
            ]}
          />
          <span>UK time</span>
        </div>
      }
    >
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={rows} margin={{ top: 16, right: 12, bottom: 0, left: 4 }}>
          <CartesianGrid stroke={gridStroke} strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="time"
            type="number"
            scale="time"
            domain={[start, end]}
            ticks={ticks}
            tickFormatter={tickFormatter}
            tick={axisTick}
            tickLine={false}
            axisLine={{ stroke: gridStroke }}
            minTickGap={16}
          />
          <YAxis
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
          {eventWindow ? (
            <ReferenceArea
              x1={toEpochMs(eventWindow.start)}
              x2={toEpochMs(eventWindow.end)}
              fill={toneColors.info}
              fillOpacity={0.08}
              strokeOpacity={0}
              ifOverflow="hidden"
            />
          ) : null}
          {eventWindow && targetBand ? (
            <ReferenceArea
              x1={toEpochMs(eventWindow.start)}
              x2={toEpochMs(eventWindow.end)}
              y1={targetBand.fromKw}
              y2={targetBand.toKw}
              fill={bandColor}
              fillOpacity={0.14}
              strokeOpacity={0}
              ifOverflow="extendDomain"
            />
          ) : null}
          {crossesZero ? <ReferenceLine y={0} stroke={ruleStroke} /> : null}
          {showNow && nowMs !== null ? (
            <ReferenceLine
              x={nowMs}
              stroke={nowColor}
              strokeWidth={1.5}
              label={{ value: "Now", position: "top", fill: nowColor, fontSize: 11 }}
            />
          ) : null}
          <Area
            dataKey="actual"
            name={actualLabel}
            type="monotone"
            stroke={actualColor}
            strokeWidth={2}
            fill={actualColor}
            fillOpacity={0.14}
            dot={false}
            activeDot={{ r: 3.5 }}
            isAnimationActive={false}
          />
          {hasBaseline ? (
            <Line
              dataKey="baseline"
              name={baselineLabel}
              type="monotone"
              stroke={baselineColor}
              strokeWidth={1.5}
              strokeDasharray="2 3"
              dot={false}
              activeDot={false}
              isAnimationActive={false}
            />
          ) : null}
          <Line
            dataKey="target"
            name={targetLabel}
            type="stepAfter"
            stroke={targetColor}
            strokeWidth={2}
            strokeDasharray="6 4"
            dot={false}
            activeDot={{ r: 3.5 }}
            isAnimationActive={false}
          />
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
