import { describe, expect, it } from "vitest";
import { activeNavHref } from "./nav-matching";

const navigation = [
  { href: "/" },
  { href: "/sites" },
  { href: "/batteries" },
  {
    href: "/settings",
    children: [
      { href: "/settings/members" },
      { href: "/settings/api-clients" },
      { href: "/settings/audit-log" },
    ],
  },
];

describe("activeNavHref", () => {
  it("highlights Overview only on the root path", () => {
    expect(activeNavHref(navigation, "/")).toBe("/");
    expect(activeNavHref(navigation, "/sites")).toBe("/sites");
  });

  it("highlights a section on its detail pages", () => {
    expect(activeNavHref(navigation, "/sites/01H8XYZ/assets")).toBe("/sites");
  });

  it("prefers the deepest matching child", () => {
    expect(activeNavHref(navigation, "/settings/members/42")).toBe("/settings/members");
    expect(activeNavHref(navigation, "/settings")).toBe("/settings");
  });

  it("does not match on a shared prefix that is not a parent path", () => {
    expect(activeNavHref(navigation, "/sites-archive")).toBeNull();
  });

  it("ignores trailing slashes and query strings", () => {
    expect(activeNavHref(navigation, "/batteries/?status=online")).toBe("/batteries");
  });
});
