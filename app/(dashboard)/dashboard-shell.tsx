"use client";

import { signOut, useSession } from "next-auth/react";
import { usePathname, useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { AppShell, type NavItem } from "@/components/layout/app-shell";
import { OrganisationSwitcher } from "@/components/layout/organisation-switcher";
import { UserMenu } from "@/components/layout/user-menu";
import { BatteryIcon, BoltIcon, ConsentIcon, OverviewIcon, PlugIcon, RewardIcon, SettingsIcon, SiteIcon } from "@/components/ui/icons";
import { RoleProvider, type Role } from "./role-context";

const navigation: NavItem[] = [
  { href: "/", label: "Overview", icon: <OverviewIcon /> },
  { href: "/sites", label: "Sites", icon: <SiteIcon /> },
  { href: "/batteries", label: "Batteries", icon: <BatteryIcon /> },
  { href: "/charging", label: "Charging", icon: <PlugIcon /> },
  { href: "/grid-events", label: "Grid events", icon: <BoltIcon /> },
  { href: "/rewards", label: "Rewards", icon: <RewardIcon /> },
  { href: "/consents", label: "Consents", icon: <ConsentIcon /> },
  {
    href: "/settings/members",
    label: "Settings",
    icon: <SettingsIcon />,
    children: [
      { href: "/settings/members", label: "Members" },
      { href: "/settings/api-clients", label: "API clients" },
      { href: "/settings/api-docs", label: "API reference" },
      { href: "/settings/webhooks", label: "Webhooks" },
      { href: "/settings/schedule-endpoint", label: "Schedule endpoint" },
      { href: "/settings/asset-models", label: "Asset models" },
      { href: "/settings/market-prices", label: "Market prices" },
      { href: "/settings/meter-registry", label: "Meter registry" },
      { href: "/settings/mailbox", label: "Mailbox" },
      { href: "/settings/audit", label: "Audit log" },
      { href: "/settings/system", label: "System health" },
    ],
  },
];

export function DashboardShell({
  operator,
  currentOrgId,
  organisations,
  children,
}: {
  operator: { name: string; email: string; role: Role };
  currentOrgId: string;
  organisations: { id: string; name: string; role: Role }[];
  children: ReactNode;
}) {
  const pathname = usePathname();
  const router = useRouter();
  const { update } = useSession();
  return (
    <RoleProvider role={operator.role}>
      <AppShell
        navigation={navigation}
        currentPath={pathname}
        organisationSwitcher={
          organisations.length > 1 ? (
            <OrganisationSwitcher
              organisations={organisations.map((o) => ({ id: o.id, name: `${o.name} (${o.role})` }))}
              currentOrganisationId={currentOrgId}
              onSelect={async (orgId) => {
                await update({ orgId });
                router.push("/");
                router.refresh();
              }}
            />
          ) : (
            <span className="truncate text-sm font-medium text-zinc-700">{organisations[0]?.name}</span>
          )
        }
        userMenu={
          <UserMenu
            name={operator.name}
            email={operator.email}
            role={operator.role}
            links={[{ href: "/account/password", label: "Change password" }]}
            onSignOut={() => void signOut({ callbackUrl: "/sign-in" })}
          />
        }
      >
        {children}
      </AppShell>
    </RoleProvider>
  );
}
