// Which market's curve prices an organisation's slots for the operator: the planner, the
// charging overview and Flex Lite must agree. Its own module so planning can import it
// without importing the price-curve service (which re-plans, so imports planning).
import { desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { marketPriceCurves } from "@/db/schema";

export const DEFAULT_MARKET = "WHOLESALE";

/** DEFAULT_MARKET when the organisation has a curve for it, else its most recently uploaded market; null with none. */
export async function operatorMarket(db: DbOrTx, orgId: string): Promise<string | null> {
  const [curve] = await db
    .select({ market: marketPriceCurves.market })
    .from(marketPriceCurves)
    .where(eq(marketPriceCurves.organisationId, orgId))
    .orderBy(sql`${marketPriceCurves.market} = ${DEFAULT_MARKET} desc`, desc(marketPriceCurves.createdAt))
    .limit(1);
  return curve?.market ?? null;
}
