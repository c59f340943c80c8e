export type NavLink = { href: string; children?: NavLink[] };

function matches(href: string, currentPath: string): boolean {
  if (href === "/") return currentPath === "/";
  return currentPath === href || currentPath.startsWith(`${href}/`);
}

/**
 * The href of the navigation entry to highlight: the longest one that is the current path or
 * a parent of it, so "/settings/members/42" lights up "Members" rather than "Settings".
 * Query strings and hashes are ignored.
 */
export function activeNavHref(items: NavLink[], currentPath: string): string | null {
  const path = currentPath.split(/[?#]/)[0] ?? currentPath;
  const normalised = path.length > 1 ? path.replace(/\/+$/, "") : path;
  let best: string | null = null;
  const visit = (list: NavLink[]) => {
    for (const item of list) {
      if (matches(item.href, normalised) && (best === null || item.href.length > best.length))
        best = item.href;
      if (item.children) visit(item.children);
    }
  };
  visit(items);
  return best;
}
