// Delivered flexibility per asset and per event against the baseline. See docs/verification.md.

export type EventDirection = "turn_down" | "turn_up";

export interface DeliverySlot {
  start: string;
  end: string;
  /** From computeBaseline; null when the baseline is unavailable. */
  baselineKwh: number | null;
  /** Metered energy in the slot, kWh (positive = import); null when the reading is missing. */
  actualKwh: number | null;
}

export interface DeliveredSlot {
  start: string;
  end: string;
  deliveredKwh: number;
  /** Average over the slot, kW. */
  deliveredKw: number;
  verified: boolean;
}

export interface DeliveredFlexibility {
  slots: DeliveredSlot[];
  deliveredKwh: number;
  /** Slots without a baseline or a reading count as zero and are listed here. */
  unverifiedSlots: string[];
}

/**
 * Turn-down delivers baseline - actual (less import or more export); turn-up delivers actual -
 * baseline. Each slot is floored at zero: a slot that went the wrong way earns nothing but does not
 * cancel what other slots delivered.
 */
export function computeDeliveredFlexibility(input: { direction: EventDirection; slots: readonly DeliverySlot[] }): DeliveredFlexibility {
  const unverifiedSlots: string[] = [];
  const slots = input.slots.map((slot): DeliveredSlot => {
    const hours = (Date.parse(slot.end) - Date.parse(slot.start)) / 3_600_000;
    if (slot.baselineKwh === null || slot.actualKwh === null || !(hours > 0)) {
      unverifiedSlots.push(slot.start);
      return { start: slot.start, end: slot.end, deliveredKwh: 0, deliveredKw: 0, verified: false };
    }
    const towardEvent = input.direction === "turn_down" ? slot.baselineKwh - slot.actualKwh : slot.actualKwh - slot.baselineKwh;
    const deliveredKwh = Math.max(0, towardEvent);
    return { start: slot.start, end: slot.end, deliveredKwh, deliveredKw: deliveredKwh / hours, verified: true };
  });
  return { slots, deliveredKwh: slots.reduce((sum, slot) => sum + slot.deliveredKwh, 0), unverifiedSlots };
}

export interface EventAssetDelivery {
  assetId: string;
  siteId?: string;
  /** Power the dispatch plan asked of it, kW. */
  assignedKw: number;
  slots: readonly DeliverySlot[];
}

export interface AssetDeliveryReport {
  assetId: string;
  siteId?: string;
  assignedKw: number;
  assignedKwh: number;
  deliveredKwh: number;
  /** Average over the event window, kW. */
  deliveredKw: number;
  /** delivered / assigned * 100; 100 when nothing was assigned. */
  deliveryPct: number;
  underDelivered: boolean;
  unverifiedSlots: string[];
}

export interface EventDeliveryReport {
  direction: EventDirection;
  targetKw: number;
  targetKwh: number;
  deliveredKwh: number;
  deliveredKw: number;
  windowHours: number;
  assets: AssetDeliveryReport[];
  underDeliveredAssetIds: string[];
  reachedTarget: boolean;
}

/** An asset under-delivers when it gave less than `underDeliveryThresholdPct` (default 80) of its assigned energy. */
export function isUnderDelivery(deliveredKwh: number, assignedKwh: number, thresholdPct = 80): boolean {
  return assignedKwh > 0 && deliveredKwh < (assignedKwh * thresholdPct) / 100 - 1e-9;
}

export function computeEventDelivery(input: {
  direction: EventDirection;
  start: string;
  end: string;
  targetKw: number;
  assets: readonly EventAssetDelivery[];
  underDeliveryThresholdPct?: number;
}): EventDeliveryReport {
  const windowHours = (Date.parse(input.end) - Date.parse(input.start)) / 3_600_000;
  if (!(windowHours > 0)) throw new RangeError("The event window must end after it starts");
  const threshold = input.underDeliveryThresholdPct ?? 80;
  const assets = [...input.assets]
    .sort((a, b) => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0))
    .map((asset): AssetDeliveryReport => {
      const delivered = computeDeliveredFlexibility({ direction: input.direction, slots: asset.slots });
      const assignedKwh = asset.assignedKw * windowHours;
      return {
        assetId: asset.assetId,
        ...(asset.siteId === undefined ? {} : { siteId: asset.siteId }),
        assignedKw: asset.assignedKw,
        assignedKwh,
        deliveredKwh: delivered.deliveredKwh,
        deliveredKw: delivered.deliveredKwh / windowHours,
        deliveryPct: assignedKwh > 0 ? (delivered.deliveredKwh / assignedKwh) * 100 : 100,
        underDelivered: isUnderDelivery(delivered.deliveredKwh, assignedKwh, threshold),
        unverifiedSlots: delivered.unverifiedSlots,
      };
    });
  const deliveredKwh = assets.reduce((sum, asset) => sum + asset.deliveredKwh, 0);
  const targetKwh = input.targetKw * windowHours;
  return {
    direction: input.direction,
    targetKw: input.targetKw,
    targetKwh,
    deliveredKwh,
    deliveredKw: deliveredKwh / windowHours,
    windowHours,
    assets,
    underDeliveredAssetIds: assets.filter((asset) => asset.underDelivered).map((asset) => asset.assetId),
    reachedTarget: deliveredKwh >= targetKwh - 1e-9,
  };
}
