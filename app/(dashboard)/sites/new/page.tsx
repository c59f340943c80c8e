import type { Metadata } from "next";
import { NewSiteView } from "./new-site-view";

export const metadata: Metadata = { title: "Add a site" };

export default function NewSitePage() {
  return <NewSiteView />;
}
