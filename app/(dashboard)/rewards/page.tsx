import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Rewards" };

export default function Page() {
  return (
    <>
      <PageHeader title="Rewards" />
      <EmptyState title="Nothing here yet" description="What each household earned for the flexibility it delivered, the per-site ledger, and payout exports for a payment run." />
    </>
  );
}
