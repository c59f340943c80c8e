import type { Metadata } from "next";
import { AssetView } from "./asset-view";

export const metadata: Metadata = { title: "Asset" };

export default async function AssetPage({ params }: { params: Promise<{ siteId: string; assetId: string }> }) {
  const { siteId, assetId } = await params;
  return <AssetView siteId={siteId} assetId={assetId} />;
}
