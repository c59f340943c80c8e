import type { ReactNode } from "react";
import { cx } from "../lib/class-names";
import { Button } from "./button";
import { AlertIcon } from "./icons";

export type ErrorStateProps = {
  title?: ReactNode;
  /** What went wrong in the reader's terms; never a stack trace or internal message. */
  message?: ReactNode;
  /** Shown small, for support: e.g. "Reference: 7f3a…". */
  reference?: string;
  /** Renders a "Try again" button (client parents only). */
  onRetry?: () => void;
  retryLabel?: string;
  /** Any other action, e.g. a link back to the list. */
  action?: ReactNode;
  compact?: boolean;
  className?: string;
};

export function ErrorState({
  title = "Something went wrong",
  message = "We could not load this. Try again in a moment.",
  reference,
  onRetry,
  retryLabel = "Try again",
  action,
  compact = false,
  className,
}: ErrorStateProps) {
  return (
    <div
      role="alert"
      className={cx(
        "flex flex-col items-center text-center",
        compact ? "px-4 py-8" : "px-6 py-14",
        className,
      )}
    >
      <div className="mb-3 flex size-10 items-center justify-center rounded-full bg-red-50 text-red-600">
        <AlertIcon className="size-5" />
      </div>
      <p className="text-sm font-semibold text-zinc-900">{title}</p>
      <p className="mt-1 max-w-md text-sm text-zinc-500">{message}</p>
      {reference ? <p className="mt-2 font-mono text-xs text-zinc-400">Reference: {reference}</p> : null}
      {onRetry || action ? (
        <div className="mt-4 flex flex-wrap justify-center gap-2">
          {onRetry ? <Button onClick={onRetry}>{retryLabel}</Button> : null}
          {action}
        </div>
      ) : null}
    </div>
  );
}
