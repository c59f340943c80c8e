"use client";

import { useSyncExternalStore, type ReactNode } from "react";
import { cx } from "../lib/class-names";
import { formatShortDateTime, londonZoneName } from "../lib/format";
import type { Tone } from "../lib/tone";
import { EmptyState } from "../ui/empty-state";

/**
 * Series colours in the order they are handed out: the accent first, then calm contrasts. They
 * are theme variables (app/globals.css), so charts follow the light or dark theme.
 */
export const seriesPalette = ["var(--chart-1)", "var(--chart-2)", "var(--chart-3)", "var(--chart-4)", "var(--chart-5)", "var(--chart-6)"] as const;

export const toneColors: Record<Tone, string> = {
  neutral: "var(--chart-neutral)",
  success: "var(--chart-success)",
  warning: "var(--chart-warning)",
  danger: "var(--chart-danger)",
  info: "var(--chart-info)",
};

export const axisTick = { fontSize: 12, fill: "var(--chart-axis)" } as const;
export const gridStroke = "var(--chart-grid)";
/** Zero lines and the hover cursor. */
export const ruleStroke = "var(--chart-rule)";
export const cursorFill = "var(--chart-cursor-fill)";

export function paletteColor(index: number): string {
  return seriesPalette[index % seriesPalette.length] ?? "var(--chart-1)";
}

const subscribeNothing = () => () => {};

/**
 * True only in the browser after hydration. Recharts measures the DOM, so the server renders a
 * placeholder of the same height instead of a chart that would mismatch on hydration.
 */
export function useIsClient(): boolean {
  return useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
}

export type ChartFrameProps = {
  /** Accessible name of the chart, also shown as a caption when `showTitle`. */
  title: string;
  /** A sentence summarising the data for screen readers (e.g. "Peak 42 kW at 17:30"). */
  summary?: string;
  showTitle?: boolean;
  height: number;
  isEmpty: boolean;
  emptyTitle?: string;
  emptyDescription?: ReactNode;
  /** Small legend or unit notes under the chart. */
  footnote?: ReactNode;
  className?: string;
  children: ReactNode;
};

export function ChartFrame({
  title,
  summary,
  showTitle = false,
  height,
  isEmpty,
  emptyTitle,
  emptyDescription,
  footnote,
  className,
  children,
}: ChartFrameProps) {
  const isClient = useIsClient();
  return (
    <figure className={cx("w-full min-w-0", className)} aria-label={title}>
      {showTitle ? (
        <figcaption className="mb-2 text-sm font-medium text-zinc-900">{title}</figcaption>
      ) : (
        <figcaption className="sr-only">{title}</figcaption>
      )}
      {summary ? <p className="sr-only">{summary}</p> : null}
      {isEmpty ? (
        <div
          style={{ minHeight: height }}
          className="flex items-center justify-center rounded-md border border-dashed border-zinc-200"
        >
          <EmptyState
            compact
            title={emptyTitle ?? "No data for this period"}
            description={emptyDescription}
          />
        </div>
      ) : isClient ? (
        <div style={{ height }} className="w-full">
          {children}
        </div>
      ) : (
        <div
          aria-hidden="true"
          style={{ height }}
          className="w-full animate-pulse rounded-md bg-zinc-100 motion-reduce:animate-none"
        />
      )}
      {footnote && !isEmpty ? <div className="mt-2 text-xs text-zinc-500">{footnote}</div> : null}
    </figure>
  );
}

export type TooltipRow = { key: string; label: string; color: string; value: string };

/** The tooltip card used by every chart: UK time (with GMT/BST) on top, one row per series. */
export function ChartTooltipCard({
  time,
  rows,
  timePrefix,
}: {
  time: number | undefined;
  rows: TooltipRow[];
  timePrefix?: string;
}) {
  if (rows.length === 0) return null;
  return (
    <div className="rounded-md border border-zinc-200 bg-white/95 px-3 py-2 text-xs shadow-md backdrop-blur-sm">
      {time !== undefined ? (
        <p className="mb-1.5 font-medium text-zinc-900">
          {timePrefix ? `${timePrefix} ` : ""}
          {formatShortDateTime(time)}{" "}
          <span className="font-normal text-zinc-500">{londonZoneName(time)}</span>
        </p>
      ) : null}
      <ul className="space-y-1">
        {rows.map((row) => (
          <li key={row.key} className="flex items-center justify-between gap-4">
            <span className="flex items-center gap-1.5 text-zinc-600">
              <span
                aria-hidden="true"
                className="size-2 rounded-full"
                style={{ backgroundColor: row.color }}
              />
              {row.label}
            </span>
            <span className="font-medium text-zinc-900 tabular-nums">{row.value}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A compact legend drawn in HTML, so it wraps on a phone instead of overlapping the plot. */
export function ChartLegend({
  items,
}: {
  items: Array<{ key: string; label: string; color: string; dashed?: boolean; shape?: "line" | "block" }>;
}) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-600">
      {items.map((item) => (
        <li key={item.key} className="flex items-center gap-1.5">
          {item.shape === "block" ? (
            <span
              aria-hidden="true"
              className="size-2.5 rounded-sm"
              style={{ backgroundColor: item.color }}
            />
          ) : (
            <span
              aria-hidden="true"
              className="w-3.5 border-t-2"
              style={{ borderColor: item.color, borderStyle: item.dashed ? "dashed" : "solid" }}
            />
          )}
          {item.label}
        </li>
      ))}
    </ul>
  );
}
