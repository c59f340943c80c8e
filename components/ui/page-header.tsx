import type { ReactNode } from "react";
import { cx } from "../lib/class-names";

export type PageHeaderProps = {
  title: ReactNode;
  description?: ReactNode;
  /** Primary actions (ButtonLink / Button); they wrap under the title on a phone. */
  actions?: ReactNode;
  /** Something above the title, e.g. a "← Sites" back link or breadcrumbs. */
  eyebrow?: ReactNode;
  /** Something next to the title, e.g. a StatusPill. */
  meta?: ReactNode;
  className?: string;
};

/** The one h1 on a page, with a short description and its primary actions. */
export function PageHeader({ title, description, actions, eyebrow, meta, className }: PageHeaderProps) {
  return (
    <div className={cx("mb-6 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between", className)}>
      <div className="min-w-0">
        {eyebrow ? <div className="mb-1 text-sm text-zinc-500">{eyebrow}</div> : null}
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
          <h1 className="text-xl font-semibold tracking-tight text-zinc-900 sm:text-2xl">{title}</h1>
          {meta}
        </div>
        {description ? <p className="mt-1 max-w-3xl text-sm text-zinc-600">{description}</p> : null}
      </div>
      {actions ? <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div> : null}
    </div>
  );
}
