// Charging intents: the public entry points for the partner API, the householder page
// and operators. Each intent is an event (stored once per charger and time) and a new
// version; the open session is re-planned when it becomes the latest.
import type { ChargingIntentRow } from "@/db/schema";
import type { ServiceContext } from "../context";
import { findChargingAsset } from "./charger-assets";
import { recordIntent } from "./events";
import { getLatestIntentRow } from "./intent-versions";
import type { ReplanOptions } from "./planning";
import { nextOccurrenceOfLocalTime } from "@/server/optimiser/time";
import { notFound } from "../errors";
import { authorize } from "../authorize";

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

/** Stores a new intent version and re-plans the open session, if any. Returns the latest intent afterwards. */
export async function setChargingIntent(ctx: ServiceContext, input: SetChargingIntentInput, options: ReplanOptions = {}): Promise<ChargingIntentRow> {
  authorize(ctx, "charging:events");
  await recordIntent(
    ctx,
    {
      assetId: input.assetId,
      occurredAt: input.occurredAt,
      source: input.source,
      intent: {
        energyRequiredKwh: input.energyRequiredKwh,
        readyByLocalTime: input.readyByLocalTime,
        mayChargePeak: input.mayChargePeak,
        chargingMode: input.chargingMode,
        energyEstimated: input.energyEstimated,
      },
    },
    options,
  );
  const latest = await getLatestIntentRow(ctx.db, ctx.orgId, input.assetId);
  if (!latest) throw new Error("intent was stored but cannot be read back");
  return latest;
}

/** The intent in force (latest by its event time); null when none was ever sent. NOT_FOUND for other organisations' assets. */
export async function getLatestIntent(ctx: ServiceContext, assetId: string): Promise<ChargingIntentRow | null> {
  const asset = await findChargingAsset(ctx.db, ctx.orgId, assetId);
  return getLatestIntentRow(ctx.db, ctx.orgId, asset.id);
}

export interface IntentInForce {
  intent: ChargingIntentRow;
  /** The next occurrence of its wall time in the site's zone after `now`. */
  readyBy: Date;
}

/** The latest intent with its next ready-by instant, for the partner API's GET intent. NOT_FOUND when none was sent. */
export async function describeLatestIntent(ctx: ServiceContext, assetId: string, now: Date = new Date()): Promise<IntentInForce> {
  authorize(ctx, "sites:read");
  const asset = await findChargingAsset(ctx.db, ctx.orgId, assetId);
  const intent = await getLatestIntentRow(ctx.db, ctx.orgId, asset.id);
  if (!intent) throw notFound("Intent");
  return { intent, readyBy: nextOccurrenceOfLocalTime(now, intent.readyByLocalTime, asset.siteTimeZone) };
}
