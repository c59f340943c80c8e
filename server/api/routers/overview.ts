// The home page: the fleet overview once (server render) and live (a subscription over SSE that
// pushes a new overview whenever one of its figures changes).
import { getFleetOverview } from "@/server/services/overview/fleet-overview";
import { createTRPCRouter, procedureFor } from "../trpc";

const read = procedureFor("sites:read");
/** How often the subscription looks again; only a changed overview is sent. */
const LIVE_INTERVAL_MS = 5000;

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

export const overviewRouter = createTRPCRouter({
  get: read.query(({ ctx }) => getFleetOverview(ctx.service)),
  live: read.subscription(async function* ({ ctx, signal }) {
    let last = "";
    while (!signal?.aborted) {
      const overview = await getFleetOverview(ctx.service);
      const figures = JSON.stringify({ ...overview, generatedAt: null });
      if (figures !== last) {
        last = figures;
        yield overview;
      }
      await pause(LIVE_INTERVAL_MS, signal);
    }
  }),
});
