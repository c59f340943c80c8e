import type { Metadata } from "next";
import { BatteryView } from "./battery-view";
import { BatterySchedulePanel } from "./battery-schedule-panel";

export const metadata: Metadata = { title: "Battery" };

export default async function BatteryPage({ params }: { params: Promise<{ assetId: string }> }) {
  const { assetId } = await params;
  return (
    <>
      <BatteryView assetId={assetId} />
      <div className="mt-6"><BatterySchedulePanel assetId={assetId} /></div>
    </>
  );
}
