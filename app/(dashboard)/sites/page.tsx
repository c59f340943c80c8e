import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingState } from "@/components/ui/skeleton";
import { SitesView } from "./sites-view";

export const metadata: Metadata = { title: "Sites" };

export default function SitesPage() {
  return (
    <Suspense fallback={<LoadingState label="Loading sites" />}>
      <SitesView />
    </Suspense>
  );
}
