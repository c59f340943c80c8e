import type { ReactNode } from "react";
import { cx } from "../lib/class-names";
import { formatDateTime, toDate, type Instant } from "../lib/format";
import type { Tone } from "../lib/tone";

export type TimelineItem = {
  id: string;
  /** A UTC instant; shown in UK time. */
  time: Instant;
  title: ReactNode;
  body?: ReactNode;
  tone?: Tone;
  /** Small text after the time, e.g. the actor ("by ops@example.com"). */
  meta?: ReactNode;
};

export type TimelineProps = {
  items: TimelineItem[];
  /** Shown when there are no items. */
  empty?: ReactNode;
  className?: string;
};

const dotClasses: Record<Tone, string> = {
  neutral: "bg-zinc-300 ring-zinc-100",
  success: "bg-emerald-500 ring-emerald-100",
  warning: "bg-amber-500 ring-amber-100",
  danger: "bg-red-500 ring-red-100",
  info: "bg-sky-500 ring-sky-100",
};

/** A vertical history (action state changes, consent records, audit entries), in the order given. */
export function Timeline({ items, empty, className }: TimelineProps) {
  if (items.length === 0) return <>{empty ?? <p className="text-sm text-zinc-500">No events yet.</p>}</>;
  return (
    <ol className={cx("relative", className)}>
      {items.map((item, index) => {
        const date = toDate(item.time);
        const isLast = index === items.length - 1;
        return (
          <li key={item.id} className="relative flex gap-3 pb-5 last:pb-0">
            {!isLast ? (
              <span aria-hidden="true" className="absolute top-4 bottom-0 left-[5px] w-px bg-zinc-200" />
            ) : null}
            <span
              aria-hidden="true"
              className={cx(
                "relative mt-1.5 size-[11px] shrink-0 rounded-full ring-4",
                dotClasses[item.tone ?? "neutral"],
              )}
            />
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-baseline justify-between gap-x-3">
                <p className="text-sm font-medium text-zinc-900">{item.title}</p>
                <p className="text-xs text-zinc-500">
                  <time dateTime={Number.isNaN(date.getTime()) ? undefined : date.toISOString()}>
                    {formatDateTime(date)}
                  </time>
                  {item.meta ? <span> · {item.meta}</span> : null}
                </p>
              </div>
              {item.body ? <div className="mt-1 text-sm text-zinc-600">{item.body}</div> : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
