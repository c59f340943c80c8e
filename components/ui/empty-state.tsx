import type { ReactNode } from "react";
import { cx } from "../lib/class-names";
import { InboxIcon } from "./icons";

export type EmptyStateProps = {
  title: ReactNode;
  /** What will appear here and how it gets here ("Sites appear once a partner onboards them through the API."). */
  description?: ReactNode;
  icon?: ReactNode;
  /** e.g. a ButtonLink "Add site" or a "Clear filters" button. */
  action?: ReactNode;
  /** Smaller padding for use inside a card or table. */
  compact?: boolean;
  className?: string;
};

export function EmptyState({
  title,
  description,
  icon,
  action,
  compact = false,
  className,
}: EmptyStateProps) {
  return (
    <div
      className={cx(
        "flex flex-col items-center text-center",
        compact ? "px-4 py-8" : "px-6 py-14",
        className,
      )}
    >
      <div className="mb-3 flex size-10 items-center justify-center rounded-full bg-zinc-100 text-zinc-500">
        {icon ?? <InboxIcon className="size-5" />}
      </div>
      <p className="text-sm font-semibold text-zinc-900">{title}</p>
      {description ? <p className="mt-1 max-w-md text-sm text-zinc-500">{description}</p> : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}
