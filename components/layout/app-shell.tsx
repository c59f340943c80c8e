"use client";

import Link from "next/link";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { cx } from "../lib/class-names";
import { CloseIcon, MenuIcon } from "../ui/icons";
import { activeNavHref } from "./nav-matching";

export type NavItem = {
  href: string;
  label: string;
  /** A decorative icon element, e.g. `<SiteIcon />` from components/ui/icons. */
  icon?: ReactNode;
  /** e.g. a count of failed actions. */
  badge?: ReactNode;
  /** Sub-pages shown indented under the item (Settings → Members, API clients, Audit log). */
  children?: NavItem[];
};

export type AppShellProps = {
  navigation: NavItem[];
  /** The current pathname (usePathname() in a client wrapper, or from the request); drives the highlight. */
  currentPath: string;
  /** Product name or logo at the top of the sidebar. */
  brand?: ReactNode;
  brandHref?: string;
  /** Left of the top bar: OrganisationSwitcher. */
  organisationSwitcher?: ReactNode;
  /** Right of the top bar: UserMenu (with sign out). */
  userMenu?: ReactNode;
  /** Bottom of the sidebar: version, environment, help link. */
  sidebarFooter?: ReactNode;
  children: ReactNode;
};

const mainId = "main-content";

function NavList({
  items,
  activeHref,
  onNavigate,
  nested = false,
}: {
  items: NavItem[];
  activeHref: string | null;
  onNavigate?: () => void;
  nested?: boolean;
}) {
  return (
    <ul className={cx("space-y-0.5", nested && "mt-0.5 ml-4 border-l border-zinc-200 pl-2")}>
      {items.map((item) => {
        const active = item.href === activeHref;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cx(
                "group flex items-center gap-2.5 rounded-md px-2.5 text-sm font-medium focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600",
                nested ? "py-1.5" : "py-2",
                active
                  ? "bg-indigo-50 text-indigo-700"
                  : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900",
              )}
            >
              {item.icon ? (
                <span
                  aria-hidden="true"
                  className={cx(
                    "flex size-5 shrink-0 items-center justify-center *:size-5",
                    active ? "text-indigo-600" : "text-zinc-400 group-hover:text-zinc-600",
                  )}
                >
                  {item.icon}
                </span>
              ) : null}
              <span className="min-w-0 flex-1 truncate">{item.label}</span>
              {item.badge}
            </Link>
            {item.children && item.children.length > 0 ? (
              <NavList items={item.children} activeHref={activeHref} onNavigate={onNavigate} nested />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function Brand({ brand, brandHref }: { brand: ReactNode; brandHref: string }) {
  return (
    <Link
      href={brandHref}
      className="flex items-center gap-2 rounded-md text-base font-semibold tracking-tight text-zinc-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      {brand}
    </Link>
  );
}

const defaultBrand = (
  <>
    <span
      aria-hidden="true"
      className="flex size-7 items-center justify-center rounded-md bg-indigo-600 text-sm font-bold text-white"
    >
      F
    </span>
    Flexfleet
  </>
);

/**
 * The dashboard frame: a fixed sidebar on wide screens, a slide-in drawer on phones, a top bar
 * with the organisation switcher and user menu, and a skip link to the content.
 */
export function AppShell({
  navigation,
  currentPath,
  brand = defaultBrand,
  brandHref = "/",
  organisationSwitcher,
  userMenu,
  sidebarFooter,
  children,
}: AppShellProps) {
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [pathWhenOpened, setPathWhenOpened] = useState(currentPath);
  const drawerId = useId();
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const closeButtonRef = useRef<HTMLButtonElement>(null);
  const activeHref = activeNavHref(navigation, currentPath);

  // Navigating (including back/forward) closes the drawer; adjusting state during render avoids a flash.
  if (drawerOpen && pathWhenOpened !== currentPath) {
    setDrawerOpen(false);
    setPathWhenOpened(currentPath);
  }

  function openDrawer() {
    setPathWhenOpened(currentPath);
    setDrawerOpen(true);
  }

  function closeDrawer() {
    setDrawerOpen(false);
    menuButtonRef.current?.focus();
  }

  useEffect(() => {
    if (!drawerOpen) return;
    closeButtonRef.current?.focus();
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === "Escape") {
        setDrawerOpen(false);
        menuButtonRef.current?.focus();
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [drawerOpen]);

  return (
    <div className="min-h-dvh bg-zinc-50 text-zinc-900">
      <a
        href={`#${mainId}`}
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-indigo-700 shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>

      {/* Wide screens: fixed sidebar. */}
      <aside className="hidden border-r border-zinc-200 bg-white lg:fixed lg:inset-y-0 lg:flex lg:w-60 lg:flex-col">
        <div className="flex h-14 shrink-0 items-center px-4">
          <Brand brand={brand} brandHref={brandHref} />
        </div>
        <nav aria-label="Main" className="flex-1 overflow-y-auto px-3 py-3">
          <NavList items={navigation} activeHref={activeHref} />
        </nav>
        {sidebarFooter ? (
          <div className="border-t border-zinc-200 px-4 py-3 text-xs text-zinc-500">{sidebarFooter}</div>
        ) : null}
      </aside>

      {/* Phones and tablets: slide-in drawer. */}
      {drawerOpen ? (
        <div className="fixed inset-0 z-40 lg:hidden">
          <div aria-hidden="true" className="absolute inset-0 bg-zinc-950/40" onClick={closeDrawer} />
          <div
            id={drawerId}
            role="dialog"
            aria-modal="true"
            aria-label="Navigation"
            className="absolute inset-y-0 left-0 flex w-72 max-w-[85vw] flex-col bg-white shadow-xl"
          >
            <div className="flex h-14 shrink-0 items-center justify-between px-4">
              <Brand brand={brand} brandHref={brandHref} />
              <button
                ref={closeButtonRef}
                type="button"
                onClick={closeDrawer}
                className="-mr-1 rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
              >
                <span className="sr-only">Close navigation</span>
                <CloseIcon />
              </button>
            </div>
            <nav aria-label="Main" className="flex-1 overflow-y-auto px-3 py-3">
              <NavList items={navigation} activeHref={activeHref} onNavigate={() => setDrawerOpen(false)} />
            </nav>
            {sidebarFooter ? (
              <div className="border-t border-zinc-200 px-4 py-3 text-xs text-zinc-500">{sidebarFooter}</div>
            ) : null}
          </div>
        </div>
      ) : null}

      <div className="lg:pl-60" inert={drawerOpen || undefined}>
        <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur-sm sm:px-6">
          <button
            ref={menuButtonRef}
            type="button"
            onClick={openDrawer}
            aria-expanded={drawerOpen}
            aria-controls={drawerId}
            className="-ml-1.5 rounded-md p-1.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-600 lg:hidden"
          >
            <span className="sr-only">Open navigation</span>
            <MenuIcon />
          </button>
          <div className="min-w-0 flex-1">{organisationSwitcher}</div>
          {userMenu ? <div className="flex shrink-0 items-center">{userMenu}</div> : null}
        </header>
        <main
          id={mainId}
          tabIndex={-1}
          className="mx-auto w-full max-w-7xl px-4 py-6 focus:outline-none sm:px-6 lg:px-8 lg:py-8"
        >
          {children}
        </main>
      </div>
    </div>
  );
}
