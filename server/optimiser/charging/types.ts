export type ChargingMode = "maximise_charging_time" | "minimise_charging_time";

/** One settlement slot (or any interval) the session may charge in, with what it costs and is worth. */
export interface PlanningSlot {
  start: Date;
  end: Date;
  /** Householder's unit rate, pence/kWh (may be negative). */
  pencePerKwh: number;
  /** Outside the tariff's off-peak times. Default false. */
  peak?: boolean;
  /** Operator's wholesale price for the slot, GBP/MWh: charging where it is low is worth most. Default 0. */
  marketPriceGbpPerMwh?: number;
  /** A turn-down event covers the slot: the operator would rather the charger stayed off. Default false. */
  turnDownEvent?: boolean;
}

export interface ChargingSessionInput {
  /** Echoed in the plan. */
  id?: string;
  /** Now, or the plug-in instant if later. */
  windowStart: Date;
  /** The ready-by instant. */
  windowEnd: Date;
  energyRequiredKwh: number;
  chargerMaxKw: number;
  /** Slots covering the window, ascending and not overlapping; time not covered is not plannable. */
  slots: readonly PlanningSlot[];
  /** May charge outside off-peak times, and then only once the off-peak time cannot meet the energy. */
  mayChargePeak: boolean;
  /** Charge at full power from windowStart until this instant, whatever it costs. */
  chargeNowUntil?: Date | null;
  chargingMode: ChargingMode;
}

export interface PlannedSlot {
  /** Slot start, clipped to the window. */
  start: Date;
  /** Slot end, clipped to the window. */
  end: Date;
  /** Average charging power over [start, end). */
  kw: number;
  kwh: number;
  pencePerKwh: number;
  /**
   * Power steps inside the slot when it is not flat (charge-now ends inside it): each step's power
   * holds from its start until the next step's start or the slot's end. Omitted for a flat slot.
   */
  periods?: { start: Date; kw: number }[];
}

export interface ChargingPlan {
  id?: string;
  /** Every slot inside the window, in time order, including those with no charging. */
  slots: PlannedSlot[];
  /** Energy the plan delivers. */
  energyKwh: number;
  /** Householder cost of the plan, pence, rounded to the nearest penny. */
  costPence: number;
  /** Cost of the same energy charged at full power from the window start, pence. */
  baselineCostPence: number;
  /** baselineCostPence - costPence. */
  savingPence: number;
  /** The required energy is delivered. */
  met: boolean;
  /** Required energy the plan cannot deliver (0 when met). */
  shortfallKwh: number;
}

export interface SitePlanningInput {
  sessions: readonly ChargingSessionInput[];
  /** Import limit shared by all the site's chargers, kW. Omitted: no shared limit. */
  siteImportLimitKw?: number | null;
}

export interface SitePlan {
  plans: ChargingPlan[];
  costPence: number;
  baselineCostPence: number;
  savingPence: number;
  /** How the plan was found: independent exact greedy plans (limit never binds) or the joint LP. */
  method: "greedy" | "lp";
}
