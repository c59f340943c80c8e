import type { Metadata } from "next";
import { DirectChargersView } from "./direct-chargers-view";

export const metadata: Metadata = { title: "Direct chargers" };

export default function Page() {
  return <DirectChargersView />;
}
