// Pushes charging plans to the organisation's schedule endpoint as signed OCPP
// SetChargingProfile bodies. (Contract stub: the delivery work fills this in.)
import type { ServiceContext } from "../context";

/**
 * Queues the plan for delivery: supersedes the session's undelivered older deliveries
 * (latest wins) and stores a pending delivery. Returns null when the organisation has no
 * enabled schedule endpoint. Call inside the transaction that stored the plan.
 */
export async function queueScheduleDelivery(ctx: ServiceContext, planId: string): Promise<{ deliveryId: string } | null> {
  void ctx;
  void planId;
  throw new Error("queueScheduleDelivery is not implemented yet");
}

/** After plug-out: nothing more is pushed for the session; pending deliveries are cancelled. */
export async function stopSessionDeliveries(ctx: ServiceContext, sessionId: string): Promise<number> {
  void ctx;
  void sessionId;
  throw new Error("stopSessionDeliveries is not implemented yet");
}
