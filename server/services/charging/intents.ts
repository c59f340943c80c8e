// Charging intents. (Contract stub: the charging work fills this in.)
import type { ChargingIntentRow } from "@/db/schema";
import type { ServiceContext } from "../context";

export interface SetChargingIntentInput {
  assetId: string;
  energyRequiredKwh: number;
  /** "HH:MM" wall time in the site's zone. */
  readyByLocalTime: string;
  mayChargePeak?: boolean;
  chargingMode?: "maximise_charging_time" | "minimise_charging_time";
  energyEstimated?: boolean;
  /** Defaults to now. */
  occurredAt?: Date;
  source: "partner_api" | "householder_page" | "operator";
}

/** Stores a new intent version and re-plans the open session, if any. */
export async function setChargingIntent(ctx: ServiceContext, input: SetChargingIntentInput): Promise<ChargingIntentRow> {
  void ctx;
  void input;
  throw new Error("setChargingIntent is not implemented yet");
}

export async function getLatestIntent(ctx: ServiceContext, assetId: string): Promise<ChargingIntentRow | null> {
  void ctx;
  void assetId;
  throw new Error("getLatestIntent is not implemented yet");
}
