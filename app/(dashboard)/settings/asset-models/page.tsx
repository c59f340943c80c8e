import type { Metadata } from "next";
import { AssetModelsView } from "./asset-models-view";

export const metadata: Metadata = { title: "Asset models" };

export default async function AssetModelsPage({ searchParams }: { searchParams: Promise<{ add?: string | string[] }> }) {
  const { add } = await searchParams;
  return <AssetModelsView addName={typeof add === "string" ? add : undefined} />;
}
