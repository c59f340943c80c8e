import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "API clients" };

export default function ApiClientsPage() {
  return (
    <>
      <PageHeader title="API clients" description="Credentials partner platforms and internal tools use to call the Flexfleet API." />
      <EmptyState title="No API clients yet" description="API clients you create will appear here with their scopes and when they were last used. A client's secret is shown once, when it is created." />
    </>
  );
}
