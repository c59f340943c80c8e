import type { Metadata } from "next";
import { GridEventsView } from "./grid-events-view";

export const metadata: Metadata = { title: "Grid events" };

export default function Page() {
  return <GridEventsView />;
}
