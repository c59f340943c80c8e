// Settlement of grid events into the reward ledger. (Contract stub: the rewards work fills this in.)
import type { ServiceContext } from "../context";

export interface SettlementResult {
  /** Ledger entries written by this run (0 when the event was already settled). */
  credited: number;
  alreadySettled: boolean;
  deliveredKwh: number;
}

/** Computes delivered flexibility per participant from readings and credits rewards once; running it again credits nothing. */
export async function settleGridEvent(ctx: ServiceContext, eventId: string): Promise<SettlementResult> {
  void ctx;
  void eventId;
  throw new Error("settleGridEvent is not implemented yet");
}
