import type { Metadata } from "next";
import { DirectChargerView } from "./direct-charger-view";

export const metadata: Metadata = { title: "Direct charger" };

export default async function DirectChargerPage({ params }: { params: Promise<{ chargePointId: string }> }) {
  const { chargePointId } = await params;
  return <DirectChargerView id={chargePointId} />;
}
