// Which batteries and chargers take part in a grid event, and with what power. Deterministic and
// pure: the same fleet snapshot always gives the same plan. See docs/verification.md (dispatch section).

export type GridEventDirection = "turn_down" | "turn_up";

export interface DispatchEvent {
  direction: GridEventDirection;
  start: string;
  end: string;
  /** Flexibility wanted across the window, kW. */
  targetKw: number;
  /** Extra margin planned on top of the target to cover under-delivery, percent (e.g. 20). */
  headroomPct: number;
}

export interface DispatchBattery {
  assetId: string;
  online: boolean;
  consented: boolean;
  socPct: number;
  capacityKwh: number;
  maxChargeKw: number;
  maxDischargeKw: number;
  dischargeFloorPct: number;
  socMaxPct: number;
  /** Energy to keep back for what the householder will need next (kWh above the floor); 0 if omitted. */
  reserveForNextIntentKwh?: number;
  /** What the battery would do in the window without the event, kW (positive = charging); 0 if omitted. */
  plannedKw?: number;
  /** AC round-trip efficiency (0, 1]; 1 if omitted. */
  roundTripEfficiency?: number;
}

export interface DispatchCharger {
  assetId: string;
  pluggedIn: boolean;
  consented: boolean;
  /** Its current plan during the window, kW. */
  plannedKw: number;
  maxKw: number;
  /** Power it must keep to still meet the householder's ready-by intent, kW; 0 if omitted. */
  minKw?: number;
}

export type DispatchExclusionReason = "no_consent" | "offline" | "not_plugged_in" | "insufficient_energy" | "battery_full" | "no_flexibility";

export interface DispatchParticipant {
  assetId: string;
  kind: "battery" | "charger";
  /** Setpoint to send for the window, kW (positive = import / charging). */
  setpointKw: number;
  /** Contribution in the event direction: |setpoint - planned|, kW. */
  assignedKw: number;
  /** The most this asset could have given for the whole window, kW. */
  availableKw: number;
}

export interface DispatchExclusion {
  assetId: string;
  kind: "battery" | "charger";
  reason: DispatchExclusionReason;
}

export interface DispatchPlan {
  direction: GridEventDirection;
  start: string;
  end: string;
  windowHours: number;
  targetKw: number;
  /** target * (1 + headroom). */
  goalKw: number;
  /** Sum of what could be offered by every eligible asset. */
  availableKw: number;
  plannedKw: number;
  reachesTarget: boolean;
  reachesGoal: boolean;
  shortfallKw: number;
  participants: DispatchParticipant[];
  excluded: DispatchExclusion[];
}

export interface DispatchPlanOptions {
  /** Assets that could give less than this are left out (not worth a command); default 0.1 kW. */
  minimumContributionKw?: number;
}

export class DispatchPlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DispatchPlanError";
  }
}

// Flexibility figures are kept to the watt so that the plan prints cleanly and compares exactly.
const roundKw = (kw: number): number => Math.round(kw * 1000) / 1000 + 0;
const floorKw = (kw: number): number => Math.floor(kw * 1000 + 1e-9) / 1000 + 0;

type Candidate = { assetId: string; kind: "battery" | "charger"; plannedKw: number; availableKw: number };

function batteryCandidate(battery: DispatchBattery, event: DispatchEvent, hours: number, minimumKw: number): Candidate | DispatchExclusion {
  const kind = "battery" as const;
  if (!battery.consented) return { assetId: battery.assetId, kind, reason: "no_consent" };
  if (!battery.online) return { assetId: battery.assetId, kind, reason: "offline" };
  const plannedKw = battery.plannedKw ?? 0;
  const efficiency = Math.sqrt(battery.roundTripEfficiency ?? 1);
  const storedKwh = (battery.socPct / 100) * battery.capacityKwh;
  if (event.direction === "turn_down") {
    // Stored energy above the floor and the householder's reserve, delivered at the AC side.
    const usableKwh = Math.max(0, storedKwh - (battery.dischargeFloorPct / 100) * battery.capacityKwh - (battery.reserveForNextIntentKwh ?? 0)) * efficiency;
    const sustainableDischargeKw = Math.min(battery.maxDischargeKw, usableKwh / hours);
    // A battery planned to charge gives its planned charge back as well, at no energy cost.
    const availableKw = floorKw(Math.max(0, plannedKw) + sustainableDischargeKw - Math.max(0, -plannedKw));
    if (availableKw < minimumKw) return { assetId: battery.assetId, kind, reason: "insufficient_energy" };
    return { assetId: battery.assetId, kind, plannedKw, availableKw };
  }
  const roomKwh = Math.max(0, (battery.socMaxPct / 100) * battery.capacityKwh - storedKwh) / efficiency;
  const sustainableChargeKw = Math.min(battery.maxChargeKw, roomKwh / hours);
  const availableKw = floorKw(Math.max(0, -plannedKw) + sustainableChargeKw - Math.max(0, plannedKw));
  if (availableKw < minimumKw) return { assetId: battery.assetId, kind, reason: "battery_full" };
  return { assetId: battery.assetId, kind, plannedKw, availableKw };
}

function chargerCandidate(charger: DispatchCharger, event: DispatchEvent, minimumKw: number): Candidate | DispatchExclusion {
  const kind = "charger" as const;
  if (!charger.consented) return { assetId: charger.assetId, kind, reason: "no_consent" };
  if (!charger.pluggedIn) return { assetId: charger.assetId, kind, reason: "not_plugged_in" };
  const plannedKw = Math.max(0, charger.plannedKw);
  const availableKw = floorKw(event.direction === "turn_down" ? plannedKw - Math.max(0, charger.minKw ?? 0) : charger.maxKw - plannedKw);
  if (availableKw < minimumKw) return { assetId: charger.assetId, kind, reason: "no_flexibility" };
  return { assetId: charger.assetId, kind, plannedKw, availableKw };
}

function isExclusion(value: Candidate | DispatchExclusion): value is DispatchExclusion {
  return "reason" in value;
}

/**
 * Every eligible asset takes part pro rata to what it can sustain, so that the fleet reaches
 * target + headroom with each asset equally far from its limit. If the whole fleet cannot reach
 * the goal, everyone eligible is asked for their maximum and the shortfall is reported.
 */
export function planEventDispatch(
  input: { event: DispatchEvent; batteries: readonly DispatchBattery[]; chargers: readonly DispatchCharger[] },
  options: DispatchPlanOptions = {},
): DispatchPlan {
  const { event } = input;
  const startMs = Date.parse(event.start);
  const endMs = Date.parse(event.end);
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) throw new DispatchPlanError("The event window must have a valid start before its end");
  if (startMs % 1_800_000 !== 0 || endMs % 1_800_000 !== 0) throw new DispatchPlanError("The event window must be aligned to half-hours");
  if (!(event.targetKw > 0)) throw new DispatchPlanError("targetKw must be positive");
  if (!(event.headroomPct >= 0)) throw new DispatchPlanError("headroomPct must not be negative");
  const hours = (endMs - startMs) / 3_600_000;
  const minimumKw = options.minimumContributionKw ?? 0.1;
  const goalKw = roundKw(event.targetKw * (1 + event.headroomPct / 100));

  const candidates: Candidate[] = [];
  const excluded: DispatchExclusion[] = [];
  const seen = new Set<string>();
  for (const outcome of [
    ...input.batteries.map((battery) => batteryCandidate(battery, event, hours, minimumKw)),
    ...input.chargers.map((charger) => chargerCandidate(charger, event, minimumKw)),
  ]) {
    if (seen.has(outcome.assetId)) throw new DispatchPlanError(`Asset ${outcome.assetId} appears twice`);
    seen.add(outcome.assetId);
    if (isExclusion(outcome)) excluded.push(outcome);
    else candidates.push(outcome);
  }
  const byAssetId = (a: { assetId: string }, b: { assetId: string }): number => (a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0);
  candidates.sort(byAssetId);
  excluded.sort(byAssetId);

  const availableKw = roundKw(candidates.reduce((sum, candidate) => sum + candidate.availableKw, 0));
  const share = availableKw > 0 ? Math.min(1, goalKw / availableKw) : 0;
  const assignments = candidates.map((candidate) => Math.min(candidate.availableKw, floorKw(candidate.availableKw * share)));
  // Flooring to the watt can leave the fleet a few watts short of the goal: hand them out in order.
  let missingKw = roundKw(Math.min(goalKw, availableKw) - assignments.reduce((sum, kw) => sum + kw, 0));
  for (let i = 0; i < assignments.length && missingKw > 0; i++) {
    const candidate = candidates[i];
    const assigned = assignments[i] ?? 0;
    if (!candidate) continue;
    const extra = Math.min(missingKw, roundKw(candidate.availableKw - assigned));
    assignments[i] = roundKw(assigned + extra);
    missingKw = roundKw(missingKw - extra);
  }

  const participants: DispatchParticipant[] = [];
  candidates.forEach((candidate, i) => {
    const assignedKw = assignments[i] ?? 0;
    if (assignedKw <= 0) return;
    const sign = event.direction === "turn_down" ? -1 : 1;
    participants.push({ assetId: candidate.assetId, kind: candidate.kind, setpointKw: roundKw(candidate.plannedKw + sign * assignedKw), assignedKw, availableKw: candidate.availableKw });
  });
  const plannedKw = roundKw(participants.reduce((sum, participant) => sum + participant.assignedKw, 0));
  return {
    direction: event.direction,
    start: event.start,
    end: event.end,
    windowHours: hours,
    targetKw: event.targetKw,
    goalKw,
    availableKw,
    plannedKw,
    reachesTarget: plannedKw >= event.targetKw - 1e-9,
    reachesGoal: plannedKw >= goalKw - 1e-9,
    shortfallKw: roundKw(Math.max(0, goalKw - plannedKw)),
    participants,
    excluded,
  };
}
