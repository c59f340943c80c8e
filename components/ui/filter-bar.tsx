import Link from "next/link";
import type { ReactNode } from "react";
import { cx } from "../lib/class-names";
import { Button } from "./button";

export type FilterBarProps = {
  /** Usually a SearchInput; takes the free space on wide screens. */
  search?: ReactNode;
  /** Filter controls: SelectField with hideLabel, a date range, toggles. */
  children?: ReactNode;
  /** How many filters are set; shows "Clear filters" when above zero. */
  activeFilterCount?: number;
  /** Clears every filter (client parents); or pass `clearHref` from a server page. */
  onClear?: () => void;
  clearHref?: string;
  /** Things at the far right, e.g. an export button. */
  actions?: ReactNode;
  className?: string;
};

/** A row of list filters above a table that wraps to a stack on a phone. */
export function FilterBar({
  search,
  children,
  activeFilterCount = 0,
  onClear,
  clearHref,
  actions,
  className,
}: FilterBarProps) {
  const canClear = activeFilterCount > 0 && (onClear !== undefined || clearHref !== undefined);
  return (
    <div className={cx("mb-4 flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end", className)}>
      {search ? <div className="min-w-0 sm:flex-1">{search}</div> : null}
      {children ? (
        <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end sm:*:w-44">{children}</div>
      ) : null}
      {canClear ? (
        clearHref !== undefined ? (
          <Link
            href={clearHref}
            className="inline-flex h-9 items-center rounded-md px-2 text-sm font-medium text-zinc-600 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            Clear filters ({activeFilterCount})
          </Link>
        ) : (
          <Button variant="ghost" onClick={onClear}>
            Clear filters ({activeFilterCount})
          </Button>
        )
      ) : null}
      {actions ? <div className="flex items-center gap-2 sm:ml-auto">{actions}</div> : null}
    </div>
  );
}
