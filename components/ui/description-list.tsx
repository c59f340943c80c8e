import type { ReactNode } from "react";
import { cx } from "../lib/class-names";

export type DescriptionItem = {
  term: ReactNode;
  /** The value; null or undefined shows a muted dash so gaps are visible rather than blank. */
  description: ReactNode;
  /** Makes the value monospace: ids, MPANs, serial numbers. */
  mono?: boolean;
  /** Span both columns in the two-column layout (long addresses, notes). */
  wide?: boolean;
};

export type DescriptionListProps = {
  items: DescriptionItem[];
  columns?: 1 | 2;
  className?: string;
};

/** Key–value details (a site's MPAN, postcode, address ...). Terms sit above values on a phone. */
export function DescriptionList({ items, columns = 1, className }: DescriptionListProps) {
  return (
    <dl className={cx("grid grid-cols-1 gap-x-6", columns === 2 && "sm:grid-cols-2", className)}>
      {items.map((item, index) => (
        <div
          key={index}
          className={cx(
            "border-t border-zinc-100 py-3 first:border-t-0",
            columns === 2 && index === 1 && "sm:border-t-0",
            item.wide && columns === 2 && "sm:col-span-2",
          )}
        >
          <dt className="text-xs font-medium text-zinc-500">{item.term}</dt>
          <dd className={cx("mt-1 text-sm break-words text-zinc-900", item.mono && "font-mono text-[13px]")}>
            {item.description === null || item.description === undefined || item.description === "" ? (
              <span className="text-zinc-400">—</span>
            ) : (
              item.description
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
