import type { Metadata } from "next";
import { ChargingOverviewView } from "./charging-overview-view";

export const metadata: Metadata = { title: "Charging" };

export default function Page() {
  return <ChargingOverviewView />;
}
