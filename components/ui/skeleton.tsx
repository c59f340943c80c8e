import { cx } from "../lib/class-names";
import { Spinner } from "./spinner";

/** A grey placeholder block; size it with className (e.g. "h-4 w-32"). */
export function Skeleton({ className }: { className?: string }) {
  return (
    <div
      aria-hidden="true"
      className={cx("animate-pulse rounded-md bg-zinc-200/70 motion-reduce:animate-none", className)}
    />
  );
}

/** A few lines of placeholder text, the last one shorter, as a paragraph would be. */
export function SkeletonText({ lines = 3, className }: { lines?: number; className?: string }) {
  return (
    <div aria-hidden="true" className={cx("space-y-2", className)}>
      {Array.from({ length: lines }, (_, index) => (
        <Skeleton
          key={index}
          className={cx("h-3.5", index === lines - 1 && lines > 1 ? "w-2/3" : "w-full")}
        />
      ))}
    </div>
  );
}

/** A centred spinner with a visible label, for a panel whose shape is not known yet. */
export function LoadingState({ label = "Loading…", className }: { label?: string; className?: string }) {
  return (
    <div className={cx("flex min-h-40 items-center justify-center gap-3 text-sm text-zinc-500", className)}>
      <Spinner label="" className="text-indigo-600" />
      <span role="status">{label}</span>
    </div>
  );
}
