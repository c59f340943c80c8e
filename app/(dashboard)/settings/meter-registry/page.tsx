import type { Metadata } from "next";
import { MeterRegistryView } from "./meter-registry-view";

export const metadata: Metadata = { title: "Meter registry" };

export default function MeterRegistryPage() {
  return <MeterRegistryView />;
}
