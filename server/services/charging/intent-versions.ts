// Intent versions per charger. Like tariffs, each one applies from its event time and
// the latest by that time wins: an older intent that arrives late is stored, not used.
import { and, desc, eq, max } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { chargingIntents, type ChargingIntentRow } from "@/db/schema";
import { localDateTime, parseLocalTime } from "@/server/optimiser/time";
import { invalid, type FieldIssue } from "../errors";

export type ChargingMode = "maximise_charging_time" | "minimise_charging_time";

export interface IntentFields {
  energyRequiredKwh: number;
  /** Wall time in the site's zone, "HH:MM" (":SS" of 00 accepted). */
  readyByLocalTime?: string | undefined;
  /** The dialect's deprecated ready_by instant: only its wall time in the site's zone is used, when readyByLocalTime is absent. */
  readyBy?: Date | undefined;
  mayChargePeak?: boolean | undefined;
  chargingMode?: ChargingMode | undefined;
  energyEstimated?: boolean | undefined;
}

export type IntentSource = "partner_api" | "householder_page" | "operator" | "simulator" | "ocpp";

export const MAX_ENERGY_REQUIRED_KWH = 500;

/**
 * Checks an intent; returns it with the wall time as "HH:MM". Problems name their field
 * under `path`. Without the site's zone a ready_by instant is only checked, not converted.
 */
export function validateIntent(intent: IntentFields, timeZone?: string, path: string = "intent"): IntentFields & { readyByLocalTime: string } {
  const issues: FieldIssue[] = [];
  let given = intent.readyByLocalTime;
  if (given === undefined && intent.readyBy !== undefined && !Number.isNaN(intent.readyBy.getTime())) {
    const local = localDateTime(intent.readyBy, timeZone ?? "UTC");
    given = `${String(local.hour).padStart(2, "0")}:${String(local.minute).padStart(2, "0")}`;
  }
  given ??= "";
  if (!Number.isFinite(intent.energyRequiredKwh) || intent.energyRequiredKwh < 0 || intent.energyRequiredKwh > MAX_ENERGY_REQUIRED_KWH) {
    issues.push({ path: [path, "energy_required_kwh"], message: `must be a number from 0 to ${MAX_ENERGY_REQUIRED_KWH}` });
  }
  // Partners send "07:30", "07:30:00" or "08:15:30" (the published time format allows seconds).
  // Plans work to the minute: the seconds are dropped, so the energy is ready slightly early.
  // An RFC 3339 offset ("08:15:30Z") is allowed by that format and ignored: it is a wall time.
  const wallTime = /^\d{2}:\d{2}(:[0-5]\d(\.\d+)?([zZ]|[+-]\d{2}:?\d{2})?)?$/.test(given) ? given.slice(0, 5) : given;
  if (parseLocalTime(wallTime) === null) {
    issues.push({ path: [path, "ready_by_local_time"], message: "must be a wall time HH:MM (00:00 to 23:59), or give ready_by" });
  }
  if (issues.length > 0) {
    throw invalid(`Invalid intent: ${issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`, issues);
  }
  return { ...intent, readyByLocalTime: wallTime };
}

/** Stores a new intent version (validated first). The caller holds the charger's lock. */
export async function insertIntentVersion(
  db: DbOrTx,
  orgId: string,
  assetId: string,
  intent: IntentFields,
  effectiveAt: Date,
  source: IntentSource,
  timeZone: string,
): Promise<{ row: ChargingIntentRow; isLatest: boolean }> {
  const checked = validateIntent(intent, timeZone);
  const [current] = await db.select({ version: max(chargingIntents.version) }).from(chargingIntents).where(eq(chargingIntents.assetId, assetId));
  const latestBefore = await getLatestIntentRow(db, orgId, assetId);
  const [row] = await db
    .insert(chargingIntents)
    .values({
      organisationId: orgId,
      assetId,
      version: (current?.version ?? 0) + 1,
      energyRequiredKwh: checked.energyRequiredKwh,
      readyByLocalTime: checked.readyByLocalTime,
      mayChargePeak: checked.mayChargePeak ?? false,
      chargingMode: checked.chargingMode ?? "maximise_charging_time",
      energyEstimated: checked.energyEstimated ?? false,
      // The householder page and operators are channels of their own; the simulator speaks as a partner.
      source: source === "simulator" ? "partner_api" : source,
      effectiveAt,
    })
    .returning();
  if (!row) throw new Error("intent insert returned nothing");
  return { row, isLatest: latestBefore === null || latestBefore.effectiveAt.getTime() <= effectiveAt.getTime() };
}

export async function getLatestIntentRow(db: DbOrTx, orgId: string, assetId: string): Promise<ChargingIntentRow | null> {
  const [row] = await db
    .select()
    .from(chargingIntents)
    .where(and(eq(chargingIntents.organisationId, orgId), eq(chargingIntents.assetId, assetId)))
    .orderBy(desc(chargingIntents.effectiveAt), desc(chargingIntents.version))
    .limit(1);
  return row ?? null;
}
