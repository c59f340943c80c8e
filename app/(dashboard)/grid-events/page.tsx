import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Grid events" };

export default function Page() {
  return (
    <>
      <PageHeader title="Grid events" />
      <EmptyState title="Nothing here yet" description="Turn-down and turn-up events: their target, the dispatch plan, live response against target, and what each asset delivered." />
    </>
  );
}
