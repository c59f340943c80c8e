// Re-planning of charging sessions. (Contract stub: the charging work fills this in.)
import type { ChargingPlanRow } from "@/db/schema";
import type { ServiceContext } from "../context";

export type ReplanTrigger = "plug_in" | "intent" | "tariff_update" | "prices" | "charge_now" | "charge_now_deleted" | "periodic" | "grid_event" | "operator";

/** Plans the open session again, stores the new plan version and queues its delivery. Null when the session is closed. */
export async function replanSession(ctx: ServiceContext, sessionId: string, trigger: ReplanTrigger): Promise<ChargingPlanRow | null> {
  void ctx;
  void sessionId;
  void trigger;
  throw new Error("replanSession is not implemented yet");
}

/** Re-plans every open session of the organisation (optionally only some assets); returns how many were re-planned. */
export async function replanOpenSessions(ctx: ServiceContext, trigger: ReplanTrigger, filter: { assetIds?: readonly string[] } = {}): Promise<number> {
  void ctx;
  void trigger;
  void filter;
  throw new Error("replanOpenSessions is not implemented yet");
}
