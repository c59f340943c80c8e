import type { Metadata } from "next";
import { SessionView } from "./session-view";

export const metadata: Metadata = { title: "Charging session" };

export default async function ChargingSessionPage({ params }: { params: Promise<{ sessionId: string }> }) {
  const { sessionId } = await params;
  return <SessionView sessionId={sessionId} />;
}
