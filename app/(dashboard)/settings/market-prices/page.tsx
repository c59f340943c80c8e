import type { Metadata } from "next";
import { MarketPricesView } from "./market-prices-view";

export const metadata: Metadata = { title: "Market prices" };

export default function MarketPricesPage() {
  return <MarketPricesView />;
}
