import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Consents" };

export default function Page() {
  return (
    <>
      <PageHeader title="Consents" />
      <EmptyState title="Nothing here yet" description="The consent ledger: boundary-meter and dispatch consents per proposition, recent withdrawals and enrolment counts." />
    </>
  );
}
