import Link from "next/link";
import type { ReactNode } from "react";
import { cx } from "../lib/class-names";
import { describePageWindow, pageNumbers, pageWindow } from "../lib/pagination";
import { ChevronLeftIcon, ChevronRightIcon } from "./icons";

export type PaginationProps = {
  total: number;
  offset: number;
  limit: number;
  /**
   * Link mode (works from server components): the href of the page starting at an offset,
   * e.g. `offset => \`/sites?offset=${offset}\``.
   */
  hrefForOffset?: (offset: number) => string;
  /** Button mode (client parents): called with the offset of the requested page. */
  onPageChange?: (offset: number) => void;
  /** Plural noun for the empty message ("No sites"). */
  noun?: string;
  className?: string;
};

const controlBase =
  "inline-flex h-8 min-w-8 items-center justify-center rounded-md px-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600";
const idleClasses = "text-zinc-700 hover:bg-zinc-100";
const currentClasses = "bg-indigo-50 text-indigo-700 ring-1 ring-inset ring-indigo-200";
const disabledClasses = "cursor-not-allowed text-zinc-300";

/** "Showing 1–50 of 1,234" with previous/next and page numbers; page numbers hide on a phone. */
export function Pagination({
  total,
  offset,
  limit,
  hrefForOffset,
  onPageChange,
  noun = "results",
  className,
}: PaginationProps) {
  const pageInfo = pageWindow({ offset, limit, total });
  const pages = pageNumbers(pageInfo.page, pageInfo.pageCount);

  function control(
    targetOffset: number | null,
    content: ReactNode,
    options: { label: string; current?: boolean; extraClassName?: string },
  ) {
    const classes = cx(
      controlBase,
      options.current ? currentClasses : targetOffset === null ? disabledClasses : idleClasses,
      options.extraClassName,
    );
    if (targetOffset === null || options.current) {
      return (
        <span
          className={classes}
          aria-label={options.label}
          aria-current={options.current ? "page" : undefined}
          aria-disabled={options.current ? undefined : true}
        >
          {content}
        </span>
      );
    }
    if (hrefForOffset) {
      return (
        <Link
          href={hrefForOffset(targetOffset)}
          className={classes}
          aria-label={options.label}
          scroll={false}
        >
          {content}
        </Link>
      );
    }
    return (
      <button
        type="button"
        className={classes}
        aria-label={options.label}
        onClick={() => onPageChange?.(targetOffset)}
      >
        {content}
      </button>
    );
  }

  return (
    <nav
      aria-label="Pagination"
      className={cx("flex items-center justify-between gap-3 px-4 py-3", className)}
    >
      <p className="text-sm text-zinc-600" aria-live="polite">
        {describePageWindow(pageInfo, total, noun)}
      </p>
      {pageInfo.pageCount > 1 || pageInfo.previousOffset !== null ? (
        <div className="flex items-center gap-1">
          {control(pageInfo.previousOffset, <ChevronLeftIcon className="size-4" />, {
            label: "Previous page",
          })}
          {pages.map((page, index) =>
            page === null ? (
              <span key={`gap-${index}`} aria-hidden="true" className="hidden px-1 text-zinc-400 sm:inline">
                …
              </span>
            ) : (
              <span key={page} className="hidden sm:inline-flex">
                {control((page - 1) * limit, page, {
                  label: `Page ${page}`,
                  current: page === pageInfo.page,
                })}
              </span>
            ),
          )}
          <span className="px-2 text-sm text-zinc-600 sm:hidden">
            {pageInfo.page} / {pageInfo.pageCount}
          </span>
          {control(pageInfo.nextOffset, <ChevronRightIcon className="size-4" />, { label: "Next page" })}
        </div>
      ) : null}
    </nav>
  );
}
