import type { ReactNode } from "react";
import { cx } from "../lib/class-names";
import { ArrowDownIcon, ArrowUpIcon, MinusIcon } from "./icons";

export type StatTrend = {
  direction: "up" | "down" | "flat";
  /** e.g. "+12% on last week". */
  label: string;
  /** Whether the change is good news; "up" is not always good (failed actions going up). */
  sentiment?: "positive" | "negative" | "neutral";
};

export type StatTileProps = {
  label: ReactNode;
  value: ReactNode;
  /** Shown small after the value: "kW", "sites". */
  unit?: ReactNode;
  hint?: ReactNode;
  trend?: StatTrend;
  /** Optional link target for the whole tile is left to the caller: wrap it in a Link. */
  className?: string;
};

const sentimentClasses = {
  positive: "text-emerald-700",
  negative: "text-red-700",
  neutral: "text-zinc-500",
} as const;

export function StatTile({ label, value, unit, hint, trend, className }: StatTileProps) {
  const TrendIcon =
    trend?.direction === "up" ? ArrowUpIcon : trend?.direction === "down" ? ArrowDownIcon : MinusIcon;
  return (
    <div className={cx("rounded-lg border border-zinc-200 bg-white px-4 py-4 shadow-xs sm:px-5", className)}>
      <p className="text-sm font-medium text-zinc-500">{label}</p>
      <p className="mt-1.5 flex items-baseline gap-1.5">
        <span className="text-2xl font-semibold tracking-tight text-zinc-900 tabular-nums">{value}</span>
        {unit ? <span className="text-sm text-zinc-500">{unit}</span> : null}
      </p>
      {trend || hint ? (
        <div className="mt-1.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs">
          {trend ? (
            <span
              className={cx(
                "inline-flex items-center gap-0.5 font-medium",
                sentimentClasses[trend.sentiment ?? "neutral"],
              )}
            >
              <TrendIcon className="size-3.5" />
              {trend.label}
            </span>
          ) : null}
          {hint ? <span className="text-zinc-500">{hint}</span> : null}
        </div>
      ) : null}
    </div>
  );
}
