import type { Metadata } from "next";
import { ImportView } from "./import-view";

export const metadata: Metadata = { title: "Import sites" };

export default function ImportSitesPage() {
  return <ImportView />;
}
