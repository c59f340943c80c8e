import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getOperatorSession } from "@/server/auth/next-auth";

export const metadata: Metadata = { title: "Overview" };

const areas = [
  { href: "/sites", title: "Sites", text: "Inventory of sites, assets and meters, with eligibility per proposition." },
  { href: "/batteries", title: "Batteries", text: "Live battery state and operation-mode actions." },
  { href: "/charging", title: "Charging", text: "Smart-charging sessions, plans and schedule deliveries." },
  { href: "/grid-events", title: "Grid events", text: "Turn-down and turn-up events and their delivery." },
  { href: "/rewards", title: "Rewards", text: "Household rewards and payout exports." },
  { href: "/settings/members", title: "Settings", text: "Members, API clients and the audit log." },
];

export default async function OverviewPage() {
  const operator = await getOperatorSession();
  return (
    <>
      <PageHeader title={`Welcome, ${operator?.name ?? "operator"}`} description={operator?.current ? `You are working in ${operator.current.orgName} as ${operator.current.role}.` : undefined} />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {areas.map((a) => (
          <Link key={a.href} href={a.href} className="block rounded-xl focus-visible:outline-2 focus-visible:outline-indigo-600">
            <Card title={a.title} className="h-full hover:ring-indigo-300">
              <p className="text-sm text-zinc-600">{a.text}</p>
            </Card>
          </Link>
        ))}
      </div>
    </>
  );
}
