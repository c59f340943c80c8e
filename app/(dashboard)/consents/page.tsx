import type { Metadata } from "next";
import { ConsentsView } from "./consents-view";

export const metadata: Metadata = { title: "Consents" };

export default function Page() {
  return <ConsentsView />;
}
