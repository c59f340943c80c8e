export { computeBaseline, type Baseline, type BaselineMethod, type BaselineOptions, type HalfHourReading } from "./baseline";
export {
  computeDeliveredFlexibility,
  computeEventDelivery,
  isUnderDelivery,
  type AssetDeliveryReport,
  type DeliveredFlexibility,
  type DeliveredSlot,
  type DeliverySlot,
  type EventAssetDelivery,
  type EventDeliveryReport,
  type EventDirection,
} from "./delivered-flexibility";
export { computeEventRewardPence, type EventRewardInput } from "./reward";
