import type { Metadata } from "next";
import { SiteView } from "./site-view";

export const metadata: Metadata = { title: "Site" };

export default async function SitePage({ params }: { params: Promise<{ siteId: string }> }) {
  const { siteId } = await params;
  return <SiteView siteId={siteId} />;
}
