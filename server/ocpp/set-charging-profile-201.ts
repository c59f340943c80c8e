import { buildChargingScheduleCore, ChargingProfileInputError, formatOcppDateTime } from "./charging-schedule";
import type { ChargingRateUnit, ChargingScheduleInput, ChargingSchedulePeriod } from "./charging-schedule";
import { requireInteger, SCHEDULE_PUSH_STACK_LEVEL } from "./set-charging-profile-16";

/** OCPP 2.0.1 caps each schedule at 1024 periods. */
export const OCPP_201_MAX_PERIODS_PER_SCHEDULE = 1024;

export interface SetChargingProfile201Input extends ChargingScheduleInput {
  evseId: number;
  profileId: number;
  scheduleId: number;
  /** The charging station's transaction id: a string of at most 36 characters. */
  transactionId?: string;
  validFrom?: string | Date;
  validTo?: string | Date;
  /** Defaults to SCHEDULE_PUSH_STACK_LEVEL. */
  stackLevel?: number;
}

export interface ChargingSchedule201 {
  id: number;
  startSchedule: string;
  duration: number;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
}

/** OCPP 2.0.1 `SetChargingProfileRequest`. */
export interface SetChargingProfile201Request {
  evseId: number;
  chargingProfile: {
    id: number;
    stackLevel: number;
    chargingProfilePurpose: "TxProfile";
    chargingProfileKind: "Absolute";
    validFrom?: string;
    validTo?: string;
    transactionId?: string;
    chargingSchedule: [ChargingSchedule201];
  };
}

/**
 * Builds the OCPP 2.0.1 SetChargingProfile request for a planned session. The protocol allows 1 to 3
 * schedules, but they are alternatives offered to an ISO 15118 vehicle, not continuations, so one plan
 * is one schedule; a plan longer than 1024 periods (or the charger's max) is reduced like in 1.6.
 */
export function buildSetChargingProfile201(input: SetChargingProfile201Input): SetChargingProfile201Request {
  const evseId = requireInteger(input.evseId, "evseId", 1);
  const profileId = requireInteger(input.profileId, "profileId");
  const scheduleId = requireInteger(input.scheduleId, "scheduleId");
  const stackLevel = requireInteger(input.stackLevel ?? SCHEDULE_PUSH_STACK_LEVEL, "stackLevel");
  if (input.transactionId !== undefined && (input.transactionId.length === 0 || input.transactionId.length > 36)) {
    throw new ChargingProfileInputError(`transactionId must be 1 to 36 characters, got ${input.transactionId.length}`);
  }
  const core = buildChargingScheduleCore(input, OCPP_201_MAX_PERIODS_PER_SCHEDULE);
  return {
    evseId,
    chargingProfile: {
      id: profileId,
      stackLevel,
      chargingProfilePurpose: "TxProfile",
      chargingProfileKind: "Absolute",
      ...(input.validFrom === undefined ? {} : { validFrom: formatOcppDateTime(input.validFrom) }),
      ...(input.validTo === undefined ? {} : { validTo: formatOcppDateTime(input.validTo) }),
      ...(input.transactionId === undefined ? {} : { transactionId: input.transactionId }),
      chargingSchedule: [
        {
          id: scheduleId,
          startSchedule: core.startSchedule,
          duration: core.duration,
          chargingRateUnit: core.chargingRateUnit,
          chargingSchedulePeriod: core.chargingSchedulePeriod,
        },
      ],
    },
  };
}
