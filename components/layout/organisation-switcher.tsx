"use client";

import Link from "next/link";
import { useId } from "react";
import { cx } from "../lib/class-names";
import { CheckIcon, ChevronDownIcon } from "../ui/icons";
import { usePopover } from "./use-popover";

export type OrganisationOption = {
  id: string;
  name: string;
  /** Link mode: where choosing it goes (e.g. "/api/switch-organisation?to=…" or "/org/acme"). */
  href?: string;
};

export type OrganisationSwitcherProps = {
  organisations: OrganisationOption[];
  currentOrganisationId: string;
  /** Button mode (client parents): called with the chosen organisation's id. */
  onSelect?: (organisationId: string) => void;
};

const itemClasses =
  "flex w-full items-center justify-between gap-3 rounded-md px-2.5 py-2 text-left text-sm text-zinc-700 hover:bg-zinc-100 focus-visible:bg-zinc-100 focus-visible:outline-none";

/** Shows the current organisation; with more than one, a menu to switch between them. */
export function OrganisationSwitcher({
  organisations,
  currentOrganisationId,
  onSelect,
}: OrganisationSwitcherProps) {
  const { open, setOpen, toggle, containerRef, triggerRef } = usePopover();
  const menuId = useId();
  const current = organisations.find((organisation) => organisation.id === currentOrganisationId);
  const name = current?.name ?? "Organisation";

  if (organisations.length <= 1) {
    return <p className="truncate text-sm font-medium text-zinc-900">{name}</p>;
  }

  return (
    <div ref={containerRef} className="relative inline-block max-w-full">
      <button
        ref={triggerRef}
        type="button"
        onClick={toggle}
        aria-expanded={open}
        aria-controls={menuId}
        className="flex max-w-full items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-zinc-900 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <span className="sr-only">Organisation: </span>
        <span className="truncate">{name}</span>
        <ChevronDownIcon className="size-4 shrink-0 text-zinc-500" />
      </button>
      {open ? (
        <div
          id={menuId}
          className="absolute left-0 z-40 mt-1 w-64 max-w-[calc(100vw-2rem)] rounded-lg border border-zinc-200 bg-white p-1 shadow-lg"
        >
          <p className="px-2.5 pt-1.5 pb-1 text-xs font-medium text-zinc-500">Switch organisation</p>
          <ul>
            {organisations.map((organisation) => {
              const isCurrent = organisation.id === currentOrganisationId;
              const content = (
                <>
                  <span className="truncate">{organisation.name}</span>
                  {isCurrent ? <CheckIcon className="size-4 shrink-0 text-indigo-600" /> : null}
                </>
              );
              return (
                <li key={organisation.id}>
                  {organisation.href ? (
                    <Link
                      href={organisation.href}
                      aria-current={isCurrent ? "true" : undefined}
                      onClick={() => setOpen(false)}
                      className={cx(itemClasses, isCurrent && "font-medium text-zinc-900")}
                    >
                      {content}
                    </Link>
                  ) : (
                    <button
                      type="button"
                      aria-current={isCurrent ? "true" : undefined}
                      onClick={() => {
                        setOpen(false);
                        if (!isCurrent) onSelect?.(organisation.id);
                      }}
                      className={cx(itemClasses, isCurrent && "font-medium text-zinc-900")}
                    >
                      {content}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
