export {
  planBatterySchedule,
  warmBatteryPlanner,
  simulateSelfConsumptionCostPence,
  apportionPence,
  BatteryPlanError,
  type BatteryPlan,
  type BatteryPlanInput,
  type BatteryPlanSlot,
  type BatteryPlanSlotInput,
  type BatterySpec,
  type BatteryOperationMode,
  type BatteryPlanErrorCode,
  type SocTarget,
} from "./plan-battery-schedule";
export { socTargetsForDay, describeSocTarget, type DailySocTarget } from "./daily-soc-targets";
export { forecastHouseholdLoad, forecastSolarGeneration, type LoadReading, type LoadForecastOptions, type LoadForecastSlot, type SolarForecastSlot } from "./forecast-household-load";
export { buildLocalDaySlots, localWallTime, localMidnightUtc, type TimeSlot } from "../time/local-wall-time";
export { runPlanBatteryRequest, planBatteryRequestSchema, type PlanBatteryRequest, type PlanBatteryResponse } from "./request";
