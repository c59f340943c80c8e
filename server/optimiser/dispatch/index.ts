export {
  planEventDispatch,
  DispatchPlanError,
  type DispatchBattery,
  type DispatchCharger,
  type DispatchEvent,
  type DispatchExclusion,
  type DispatchExclusionReason,
  type DispatchParticipant,
  type DispatchPlan,
  type DispatchPlanOptions,
  type GridEventDirection,
} from "./plan-event-dispatch";
