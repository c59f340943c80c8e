import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Batteries" };

export default function Page() {
  return (
    <>
      <PageHeader title="Batteries" />
      <EmptyState title="Nothing here yet" description="Live state of every home battery: state of charge, power, operation mode and when it last reported, with fleet totals for energy stored and power available." />
    </>
  );
}
