import type { Metadata } from "next";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Charging" };

export default function Page() {
  return (
    <>
      <PageHeader title="Charging" />
      <EmptyState title="Nothing here yet" description="EV charging sessions: who is plugged in now, each session's plan against the tariff and market prices, and the schedules delivered to chargers." />
    </>
  );
}
