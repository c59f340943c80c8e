import type { Metadata } from "next";
import { SiteLedgerView } from "./site-ledger-view";

export const metadata: Metadata = { title: "Site rewards" };

export default async function SiteRewardsPage({ params }: { params: Promise<{ siteId: string }> }) {
  const { siteId } = await params;
  return <SiteLedgerView siteId={siteId} />;
}
