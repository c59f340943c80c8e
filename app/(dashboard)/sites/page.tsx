import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Sites" };

export default function Page() {
  return (
    <>
      <PageHeader title="Sites" />
      <EmptyState title="Nothing here yet" description="Every site in your fleet: MPAN, postcode, address, its assets and meters, and its eligibility for each proposition. Sites arrive from partners through the API, from a CSV import, or are added here." />
    </>
  );
}
