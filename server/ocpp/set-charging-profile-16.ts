import { buildChargingScheduleCore, ChargingProfileInputError, formatOcppDateTime } from "./charging-schedule";
import type { ChargingRateUnit, ChargingScheduleInput, ChargingSchedulePeriod } from "./charging-schedule";

/** Stack level of the schedule pushes in the entities dialect: above any default profile a charger keeps. */
export const SCHEDULE_PUSH_STACK_LEVEL = 1100;

export interface SetChargingProfile16Input extends ChargingScheduleInput {
  connectorId: number;
  /** Integer id; the published example's `null` is rejected by the official schema. */
  chargingProfileId: number;
  transactionId?: number;
  validFrom?: string | Date;
  validTo?: string | Date;
  /** Defaults to SCHEDULE_PUSH_STACK_LEVEL. */
  stackLevel?: number;
}

export interface ChargingSchedule16 {
  duration: number;
  startSchedule: string;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
}

/** OCPP 1.6 `SetChargingProfile.req`. */
export interface SetChargingProfile16Request {
  connectorId: number;
  csChargingProfiles: {
    chargingProfileId: number;
    transactionId?: number;
    stackLevel: number;
    chargingProfilePurpose: "TxProfile";
    chargingProfileKind: "Absolute";
    validFrom?: string;
    validTo?: string;
    chargingSchedule: ChargingSchedule16;
  };
}

export function requireInteger(value: number, what: string, minimum = 0): number {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new ChargingProfileInputError(`${what} must be an integer >= ${minimum}, got ${String(value)}`);
  }
  return value;
}

/**
 * Builds the OCPP 1.6 SetChargingProfile request that delivers a planned session: a TxProfile of kind
 * Absolute at stack level 1100, limits in W or A (see buildChargingScheduleCore for merging, the
 * max-periods rule and the 99999.0 full-power convention). Throws ChargingProfileInputError on bad input.
 */
export function buildSetChargingProfile16(input: SetChargingProfile16Input): SetChargingProfile16Request {
  // A TxProfile applies to one connector, so connector 0 (the whole charge point) is not allowed.
  const connectorId = requireInteger(input.connectorId, "connectorId", 1);
  const chargingProfileId = requireInteger(input.chargingProfileId, "chargingProfileId");
  const stackLevel = requireInteger(input.stackLevel ?? SCHEDULE_PUSH_STACK_LEVEL, "stackLevel");
  const core = buildChargingScheduleCore(input);
  return {
    connectorId,
    csChargingProfiles: {
      chargingProfileId,
      ...(input.transactionId === undefined ? {} : { transactionId: requireInteger(input.transactionId, "transactionId") }),
      stackLevel,
      chargingProfilePurpose: "TxProfile",
      chargingProfileKind: "Absolute",
      ...(input.validFrom === undefined ? {} : { validFrom: formatOcppDateTime(input.validFrom) }),
      ...(input.validTo === undefined ? {} : { validTo: formatOcppDateTime(input.validTo) }),
      chargingSchedule: {
        duration: core.duration,
        startSchedule: core.startSchedule,
        chargingRateUnit: core.chargingRateUnit,
        chargingSchedulePeriod: core.chargingSchedulePeriod,
      },
    },
  };
}
