import type { Metadata } from "next";
import { headers } from "next/headers";
import { createCaller } from "@/server/api/root";
import { createTrpcContext } from "@/server/api/trpc";
import { HomeView } from "./home-view";

export const metadata: Metadata = { title: "Overview" };

/** Rendered with the overview on the server (first paint has the figures), then kept live by a subscription. */
export default async function OverviewPage() {
  const caller = createCaller(await createTrpcContext({ headers: await headers() }));
  const overview = await caller.overview.get();
  return <HomeView initial={overview} />;
}
