import Link from "next/link";
import type { ReactNode } from "react";
import { cx } from "../lib/class-names";

export type LinkTabItem = { href: string; label: ReactNode; badge?: ReactNode };

export type LinkTabsProps = {
  items: LinkTabItem[];
  /** The current pathname; the item whose href matches (exactly, or as a parent path) is marked current. */
  currentPath: string;
  /** Accessible name of the navigation. */
  label: string;
  className?: string;
};

function isCurrent(href: string, currentPath: string, allHrefs: string[]): boolean {
  if (currentPath === href) return true;
  if (!currentPath.startsWith(`${href}/`)) return false;
  // A longer sibling match wins, so "/sites/1" does not light up "/sites" when "/sites/1" is a tab too.
  return !allHrefs.some(
    (other) =>
      other !== href &&
      other.startsWith(href) &&
      (currentPath === other || currentPath.startsWith(`${other}/`)),
  );
}

/** Tabs that are routes (a site's Overview / Assets / Readings): plain links, server-renderable. */
export function LinkTabs({ items, currentPath, label, className }: LinkTabsProps) {
  const hrefs = items.map((item) => item.href);
  return (
    <nav aria-label={label} className={cx("mb-6 border-b border-zinc-200", className)}>
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {items.map((item) => {
          const current = isCurrent(item.href, currentPath, hrefs);
          return (
            <li key={item.href} className="shrink-0">
              <Link
                href={item.href}
                aria-current={current ? "page" : undefined}
                className={cx(
                  "inline-flex items-center gap-2 border-b-2 px-3 py-2 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600",
                  current
                    ? "border-indigo-600 text-indigo-700"
                    : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-700",
                )}
              >
                {item.label}
                {item.badge}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
