import type { Metadata } from "next";
import { ApiClientsView } from "./api-clients-view";

export const metadata: Metadata = { title: "API clients" };

export default function ApiClientsPage() {
  return <ApiClientsView />;
}
