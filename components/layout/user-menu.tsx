"use client";

import Link from "next/link";
import { useId } from "react";
import { SignOutIcon } from "../ui/icons";
import { usePopover } from "./use-popover";

export type UserMenuProps = {
  name: string;
  email?: string;
  /** Role in the current organisation, e.g. "Admin". */
  role?: string;
  /** Extra links, e.g. { href: "/settings/profile", label: "Profile" }. */
  links?: Array<{ href: string; label: string }>;
  /** Client parents: e.g. `() => signOut({ callbackUrl: "/sign-in" })` from next-auth/react. */
  onSignOut?: () => void;
  /** Server parents: a link to the sign-out page (next-auth: "/api/auth/signout"). Used when onSignOut is absent. */
  signOutHref?: string;
};

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters =
    parts.length > 1 ? `${parts[0]?.[0] ?? ""}${parts[parts.length - 1]?.[0] ?? ""}` : name.slice(0, 2);
  return letters.toUpperCase();
}

const itemClasses =
  "flex w-full items-center gap-2 rounded-md px-2.5 py-2 text-left text-sm text-zinc-700 hover:bg-zinc-100 focus-visible:bg-zinc-100 focus-visible:outline-none";

/** The signed-in operator's avatar with a menu holding their details and Sign out. */
export function UserMenu({
  name,
  email,
  role,
  links = [],
  onSignOut,
  signOutHref = "/api/auth/signout",
}: UserMenuProps) {
  const { open, setOpen, toggle, containerRef, triggerRef } = usePopover();
  const menuId = useId();
  return (
    <div ref={containerRef} className="relative">
      <button
        ref={triggerRef}
        type="button"
        onClick={toggle}
        aria-expanded={open}
        aria-controls={menuId}
        className="flex items-center gap-2 rounded-full p-0.5 pr-2 text-sm font-medium text-zinc-700 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-600 sm:pr-2.5"
      >
        <span
          aria-hidden="true"
          className="flex size-8 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700"
        >
          {initials(name)}
        </span>
        <span aria-hidden="true" className="hidden max-w-40 truncate sm:inline">
          {name}
        </span>
        <span className="sr-only">Account menu for {name}</span>
      </button>
      {open ? (
        <div
          id={menuId}
          className="absolute right-0 z-40 mt-1 w-64 max-w-[calc(100vw-2rem)] rounded-lg border border-zinc-200 bg-white p-1 shadow-lg"
        >
          <div className="border-b border-zinc-100 px-2.5 pt-1.5 pb-2.5">
            <p className="truncate text-sm font-medium text-zinc-900">{name}</p>
            {email ? <p className="truncate text-xs text-zinc-500">{email}</p> : null}
            {role ? <p className="mt-1 text-xs text-zinc-500">{role}</p> : null}
          </div>
          <ul className="pt-1">
            {links.map((link) => (
              <li key={link.href}>
                <Link href={link.href} onClick={() => setOpen(false)} className={itemClasses}>
                  {link.label}
                </Link>
              </li>
            ))}
            <li>
              {onSignOut ? (
                <button
                  type="button"
                  onClick={() => {
                    setOpen(false);
                    onSignOut();
                  }}
                  className={itemClasses}
                >
                  <SignOutIcon className="size-4 text-zinc-500" />
                  Sign out
                </button>
              ) : (
                // A plain anchor: the sign-out page is a route handler, not a client-side page.
                <a href={signOutHref} className={itemClasses}>
                  <SignOutIcon className="size-4 text-zinc-500" />
                  Sign out
                </a>
              )}
            </li>
          </ul>
        </div>
      ) : null}
    </div>
  );
}
