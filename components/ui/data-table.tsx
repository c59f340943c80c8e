import Link from "next/link";
import type { KeyboardEvent, ReactNode } from "react";
import { cx } from "../lib/class-names";
import { EmptyState } from "./empty-state";
import { Skeleton } from "./skeleton";

export type DataTableColumn<Row> = {
  /** Stable key for React; also used as the column id. */
  key: string;
  header: ReactNode;
  render: (row: Row, index: number) => ReactNode;
  align?: "left" | "right" | "center";
  /** Drop the column on narrow screens to keep the table readable on a phone. */
  hideBelow?: "sm" | "md" | "lg";
  /** Extra classes for the header and body cells of this column (e.g. "w-32", "font-mono"). */
  className?: string;
};

export type DataTableProps<Row> = {
  columns: DataTableColumn<Row>[];
  rows: Row[];
  getRowKey: (row: Row, index: number) => string;
  /** Accessible name of the table; visually hidden. */
  caption: string;
  /** Shows skeleton rows instead of `rows`. */
  loading?: boolean;
  loadingRowCount?: number;
  /** Shown when there are no rows and not loading; defaults to a generic "Nothing here yet". */
  empty?: ReactNode;
  /**
   * Makes the whole row a link (works from server components). The link sits under the cell
   * content; give any button or link inside a cell `className="relative z-10"` to keep it clickable.
   */
  rowHref?: (row: Row) => string | undefined;
  /** Screen-reader text for the row link, e.g. `row => \`Open site ${row.name}\``. */
  rowLinkLabel?: (row: Row) => string;
  /** Makes rows clickable and keyboard-activatable (client parents only); prefer rowHref for navigation. */
  onRowClick?: (row: Row) => void;
  /** Under the table, inside the frame: usually Pagination. */
  footer?: ReactNode;
  /** Drop the outer border and rounding when the table sits inside a Card. */
  bare?: boolean;
  className?: string;
};

const hideClasses = {
  sm: "hidden sm:table-cell",
  md: "hidden md:table-cell",
  lg: "hidden lg:table-cell",
} as const;
const alignClasses = { left: "text-left", right: "text-right", center: "text-center" } as const;

function cellClasses<Row>(column: DataTableColumn<Row>): string {
  return cx(
    alignClasses[column.align ?? "left"],
    column.hideBelow ? hideClasses[column.hideBelow] : undefined,
    column.className,
  );
}

function activateOnKey(event: KeyboardEvent<HTMLTableRowElement>, action: () => void) {
  if (event.target !== event.currentTarget) return;
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    action();
  }
}

export function DataTable<Row>({
  columns,
  rows,
  getRowKey,
  caption,
  loading = false,
  loadingRowCount = 5,
  empty,
  rowHref,
  rowLinkLabel,
  onRowClick,
  footer,
  bare = false,
  className,
}: DataTableProps<Row>) {
  const showEmpty = !loading && rows.length === 0;
  return (
    <div
      className={cx(
        "overflow-hidden bg-white",
        bare ? undefined : "rounded-lg border border-zinc-200 shadow-xs",
        className,
      )}
    >
      <div className="overflow-x-auto">
        <table className="min-w-full divide-y divide-zinc-200 text-sm" aria-busy={loading || undefined}>
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-zinc-50">
            <tr>
              {columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  className={cx(
                    "px-4 py-2.5 text-xs font-medium tracking-wide whitespace-nowrap text-zinc-500 uppercase",
                    cellClasses(column),
                  )}
                >
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {loading
              ? Array.from({ length: loadingRowCount }, (_, rowIndex) => (
                  <tr key={`loading-${rowIndex}`}>
                    {columns.map((column) => (
                      <td key={column.key} className={cx("px-4 py-3", cellClasses(column))}>
                        <Skeleton
                          className={cx("h-4", column.align === "right" ? "ml-auto w-16" : "w-24 max-w-full")}
                        />
                      </td>
                    ))}
                  </tr>
                ))
              : rows.map((row, rowIndex) => {
                  const href = rowHref?.(row);
                  const clickable = Boolean(href) || Boolean(onRowClick);
                  return (
                    <tr
                      key={getRowKey(row, rowIndex)}
                      className={cx(
                        clickable && "relative cursor-pointer hover:bg-zinc-50 focus-visible:bg-zinc-50",
                        onRowClick &&
                          "focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600",
                      )}
                      tabIndex={onRowClick && !href ? 0 : undefined}
                      onClick={onRowClick && !href ? () => onRowClick(row) : undefined}
                      onKeyDown={
                        onRowClick && !href
                          ? (event) => activateOnKey(event, () => onRowClick(row))
                          : undefined
                      }
                    >
                      {columns.map((column, columnIndex) => (
                        <td
                          key={column.key}
                          className={cx(
                            "px-4 py-3 align-middle text-zinc-700",
                            columnIndex === 0 && "font-medium text-zinc-900",
                            cellClasses(column),
                          )}
                        >
                          {columnIndex === 0 && href ? (
                            <Link
                              href={href}
                              className="absolute inset-0 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600"
                            >
                              <span className="sr-only">{rowLinkLabel?.(row) ?? "View details"}</span>
                            </Link>
                          ) : null}
                          {column.render(row, rowIndex)}
                        </td>
                      ))}
                    </tr>
                  );
                })}
          </tbody>
        </table>
        {showEmpty ? (
          <div className="border-t border-zinc-100">
            {empty ?? <EmptyState compact title="Nothing here yet" />}
          </div>
        ) : null}
      </div>
      {footer ? <div className="border-t border-zinc-200">{footer}</div> : null}
    </div>
  );
}
