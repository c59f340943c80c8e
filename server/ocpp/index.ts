export {
  buildChargingScheduleCore,
  ChargingProfileInputError,
  DEFAULT_LAST_PERIOD_SECONDS,
  floorToTenth,
  formatOcppDateTime,
  FULL_POWER_LIMIT,
  kwToRate,
} from "./charging-schedule";
export type {
  ChargingRateUnit,
  ChargingScheduleCore,
  ChargingScheduleInput,
  ChargingSchedulePeriod,
  PlannedPowerPeriod,
} from "./charging-schedule";
export { buildSetChargingProfile16, SCHEDULE_PUSH_STACK_LEVEL } from "./set-charging-profile-16";
export type { ChargingSchedule16, SetChargingProfile16Input, SetChargingProfile16Request } from "./set-charging-profile-16";
export { buildSetChargingProfile201, OCPP_201_MAX_PERIODS_PER_SCHEDULE } from "./set-charging-profile-201";
export type { ChargingSchedule201, SetChargingProfile201Input, SetChargingProfile201Request } from "./set-charging-profile-201";
export { validateOcppPayload } from "./validate-payload";
export type { OcppValidatedAction, OcppValidationResult, OcppVersion } from "./validate-payload";
export { validateOcppMessage } from "./validate-payload";
export type { OcppMessageKind } from "./validate-payload";
export {
  bootNotificationResponse,
  buildClearChargingProfile,
  buildGetCompositeSchedule,
  callErrorCodeFor,
  compareAppliedSchedule,
  connectorKey,
  energyRegisterReadings,
  heartbeatResponse,
  isOcppSubprotocol,
  OCPP_SUBPROTOCOLS,
  plugStateOfStatus,
  registerReadingFromWh,
  transactionEventMeaning,
  versionOfSubprotocol,
} from "./charge-point-messages";
export type { AppliedScheduleComparison, EnergyRegisterReading, OcppSubprotocol, PlugState, TransactionEventMeaning } from "./charge-point-messages";
