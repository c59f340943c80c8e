import type { ReactNode } from "react";
import { cx } from "../lib/class-names";

export type CardProps = {
  title?: ReactNode;
  description?: ReactNode;
  /** Buttons or links at the right of the header. */
  actions?: ReactNode;
  footer?: ReactNode;
  /** Drop the body padding, e.g. for a table that runs edge to edge. */
  flush?: boolean;
  /** Heading level for the title, to keep the page outline right. */
  headingLevel?: "h2" | "h3";
  className?: string;
  children?: ReactNode;
};

export function Card({
  title,
  description,
  actions,
  footer,
  flush = false,
  headingLevel: Heading = "h2",
  className,
  children,
}: CardProps) {
  const hasHeader = title !== undefined || description !== undefined || actions !== undefined;
  return (
    <section
      className={cx("overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs", className)}
    >
      {hasHeader ? (
        <header className="flex flex-wrap items-start justify-between gap-3 border-b border-zinc-200 px-4 py-3 sm:px-5">
          <div className="min-w-0">
            {title !== undefined ? (
              <Heading className="text-sm font-semibold text-zinc-900">{title}</Heading>
            ) : null}
            {description !== undefined ? <p className="mt-0.5 text-sm text-zinc-500">{description}</p> : null}
          </div>
          {actions !== undefined ? <div className="flex shrink-0 items-center gap-2">{actions}</div> : null}
        </header>
      ) : null}
      <div className={flush ? undefined : "px-4 py-4 sm:px-5"}>{children}</div>
      {footer !== undefined ? (
        <footer className="border-t border-zinc-200 bg-zinc-50 px-4 py-3 sm:px-5">{footer}</footer>
      ) : null}
    </section>
  );
}
