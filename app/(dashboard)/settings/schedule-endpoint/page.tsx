import type { Metadata } from "next";
import { ScheduleEndpointView } from "./schedule-endpoint-view";

export const metadata: Metadata = { title: "Schedule endpoint" };

export default function ScheduleEndpointPage() {
  return <ScheduleEndpointView />;
}
