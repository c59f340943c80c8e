import type { Metadata } from "next";
import { SystemHealthView } from "./system-health-view";

export const metadata: Metadata = { title: "System health" };

export default function SystemHealthPage() {
  return <SystemHealthView />;
}
