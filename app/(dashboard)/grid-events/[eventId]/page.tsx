import type { Metadata } from "next";
import { EventView } from "./event-view";

export const metadata: Metadata = { title: "Grid event" };

export default async function GridEventPage({ params }: { params: Promise<{ eventId: string }> }) {
  const { eventId } = await params;
  return <EventView eventId={eventId} />;
}
