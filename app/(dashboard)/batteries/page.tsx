import type { Metadata } from "next";
import { BatteriesView } from "./batteries-view";

export const metadata: Metadata = { title: "Batteries" };

export default function Page() {
  return <BatteriesView />;
}
