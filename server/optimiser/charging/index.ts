export * from "./types";
export { planChargingSession } from "./plan-session";
export { planSiteSessions, siteLimitCanBind } from "./plan-site";
export {
  planChargingRequestSchema,
  runPlanChargingRequest,
  type PlanChargingAnswer,
  type PlanChargingRequest,
  type PlanChargingResult,
} from "./request";
