// Planning one charging session: exact, allocation-light, a few microseconds
// for 48 slots.
//
// The model. Each slot i inside the window [windowStart, windowEnd) is clipped
// to the window and lasts h_i hours, so it can take at most u_i = chargerMaxKw
// * h_i kWh (partial edge slots take proportionally less). Charge-now time
// (windowStart .. chargeNowUntil) is charged at full power first, in time
// order, whatever it costs. The rest of each slot is "free" capacity, usable
// only off-peak unless mayChargePeak. The free energy x_i (0 <= x_i <= u_i)
// is chosen to minimise, lexicographically:
//   1. shortfall: deliver the required energy if at all possible;
//   2. energy in peak slots (the API's rule: peak only once off-peak time
//      cannot meet the energy);
//   3. householder cost, sum of x_i * pencePerKwh_i;
//   4. energy in turn-down-event slots;
//   5. energy-weighted market price, sum of x_i * marketPrice_i
//      (cheap wholesale slots are the operator's most valuable);
//   6. earlier slots first (a deterministic choice among exact ties).
// minimise_charging_time delivers exactly the remaining energy.
// maximise_charging_time treats the energy as a minimum: every allowed
// off-peak slot is charged at full power (the vehicle takes what it can), and
// peak slots are then added only to reach the minimum.
//
// Why the greedy is exact. Give each slot the cost vector
// c_i = (peak_i, price_i, turnDown_i, market_i, i) and compare vectors
// lexicographically; the problem "min sum x_i c_i, sum x_i = R, 0 <= x_i <= u_i"
// is a continuous knapsack with a single resource. Sort slots by c_i and fill
// each to u_i until R is reached. Take any feasible x* that differs from the
// greedy g: then some slot i earlier in the order has x*_i < u_i while a later
// slot j has x*_j > 0 (g fills earlier slots first, and both total R). Moving
// d = min(u_i - x*_i, x*_j) from j to i keeps feasibility and changes the
// objective by d (c_i - c_j), which is lexicographically <= 0. Each move makes
// one more slot agree with g, so after finitely many moves x* becomes g with
// an objective no worse: g is optimal. Lexicographic vectors are exactly "cost
// first, then operator value" without any weighting that could leak between
// levels. The shortfall level is met by the same fill: when R exceeds the
// total allowed capacity, every allowed slot is filled, which is also the
// fastest charging allowed. For maximise_charging_time the off-peak part is
// fixed at u_i and the argument applies to the peak remainder.
//
// Speed: 10,000 sessions of 48 slots must plan in well under 50 ms, so the
// single-session path reuses module-level typed arrays (planning is
// synchronous, so one set is enough) and orders slots with a binary heap,
// which pops only as many slots as the energy needs.
import type { ChargingPlan, ChargingSessionInput, PlannedSlot } from "./types";

const MS_PER_HOUR = 3_600_000;
export const ENERGY_EPSILON_KWH = 1e-9;

/** A session laid out on the slots overlapping its window, in time order (internal to the charging module). */
export interface PreparedSession {
  input: ChargingSessionInput;
  /** Number of slots overlapping the window; arrays may be longer. */
  count: number;
  /** Index into input.slots of each prepared slot. */
  slotIndex: Int32Array;
  startMs: Float64Array;
  endMs: Float64Array;
  hours: Float64Array;
  /** Hours of charge-now within the slot. */
  forcedHours: Float64Array;
  /** Capacity forced by charge-now, kWh. */
  forcedCapacity: Float64Array;
  /** Capacity left to plan, kWh (0 where not allowed). */
  freeCapacity: Float64Array;
  /** Capacity regardless of tariff rules, kWh (for the baseline). */
  fullCapacity: Float64Array;
  price: Float64Array;
  peak: Uint8Array;
  turnDown: Uint8Array;
  market: Float64Array;
  /** Bit 1: start clipped to the window; bit 2: end clipped. */
  clipped: Uint8Array;
}

export function createPreparedSession(input: ChargingSessionInput, capacity: number): PreparedSession {
  return {
    input,
    count: 0,
    slotIndex: new Int32Array(capacity),
    startMs: new Float64Array(capacity),
    endMs: new Float64Array(capacity),
    hours: new Float64Array(capacity),
    forcedHours: new Float64Array(capacity),
    forcedCapacity: new Float64Array(capacity),
    freeCapacity: new Float64Array(capacity),
    fullCapacity: new Float64Array(capacity),
    price: new Float64Array(capacity),
    peak: new Uint8Array(capacity),
    turnDown: new Uint8Array(capacity),
    market: new Float64Array(capacity),
    clipped: new Uint8Array(capacity),
  };
}

/** Lays the session out on its slots; reuses `target` when given and large enough. */
export function prepareSession(input: ChargingSessionInput, target?: PreparedSession): PreparedSession {
  const prepared =
    target !== undefined && target.slotIndex.length >= input.slots.length
      ? target
      : createPreparedSession(input, input.slots.length);
  prepared.input = input;
  if (layOut(prepared, input.slots)) return prepared;
  // Slots out of order: plan on a sorted copy (rare; callers normally pass ascending slots).
  const sorted = [...input.slots].sort((a, b) => a.start.getTime() - b.start.getTime());
  prepared.input = { ...input, slots: sorted };
  layOut(prepared, sorted);
  return prepared;
}

// Fills `prepared` from ascending `slots`; false (and nothing usable) when they are not ascending.
function layOut(prepared: PreparedSession, slots: ChargingSessionInput["slots"]): boolean {
  const input = prepared.input;
  const windowStart = input.windowStart.getTime();
  const windowEnd = input.windowEnd.getTime();
  const chargeNowUntil = input.chargeNowUntil == null ? -Infinity : input.chargeNowUntil.getTime();
  const kw = input.chargerMaxKw > 0 ? input.chargerMaxKw : 0;
  const mayChargePeak = input.mayChargePeak;
  const {
    slotIndex,
    startMs,
    endMs,
    fullCapacity,
    forcedCapacity,
    freeCapacity,
    price,
    peak: peakFlags,
    turnDown,
    market,
    clipped,
  } = prepared;
  const hoursOf = prepared.hours;
  const forcedHoursOf = prepared.forcedHours;
  let previousStart = -Infinity;
  let n = 0;
  for (let i = 0; i < slots.length; i += 1) {
    const slot = slots[i];
    if (slot === undefined) continue;
    const slotStart = slot.start.getTime();
    if (slotStart < previousStart) return false;
    previousStart = slotStart;
    if (slotStart >= windowEnd) continue;
    const slotEnd = slot.end.getTime();
    if (slotEnd <= windowStart) continue;
    const start = slotStart > windowStart ? slotStart : windowStart;
    const end = slotEnd < windowEnd ? slotEnd : windowEnd;
    if (!(end > start)) continue;
    const hours = (end - start) / MS_PER_HOUR;
    const forcedEnd = end < chargeNowUntil ? end : chargeNowUntil;
    const forcedHours = forcedEnd > start ? (forcedEnd - start) / MS_PER_HOUR : 0;
    const peak = slot.peak === true;
    slotIndex[n] = i;
    startMs[n] = start;
    endMs[n] = end;
    hoursOf[n] = hours;
    forcedHoursOf[n] = forcedHours;
    fullCapacity[n] = kw * hours;
    forcedCapacity[n] = kw * forcedHours;
    freeCapacity[n] = !peak || mayChargePeak ? kw * (hours - forcedHours) : 0;
    price[n] = slot.pencePerKwh;
    peakFlags[n] = peak ? 1 : 0;
    turnDown[n] = slot.turnDownEvent === true ? 1 : 0;
    market[n] = slot.marketPriceGbpPerMwh ?? 0;
    clipped[n] = (start !== slotStart ? 1 : 0) | (end !== slotEnd ? 2 : 0);
    n += 1;
  }
  prepared.count = n;
  return true;
}

/** Lexicographic slot order of the proof above: peak, price, turn-down, market price, time. Negative: a first. */
export function compareSlots(prepared: PreparedSession, a: number, b: number): number {
  return (
    (prepared.peak[a] ?? 0) - (prepared.peak[b] ?? 0) ||
    (prepared.price[a] ?? 0) - (prepared.price[b] ?? 0) ||
    (prepared.turnDown[a] ?? 0) - (prepared.turnDown[b] ?? 0) ||
    (prepared.market[a] ?? 0) - (prepared.market[b] ?? 0) ||
    a - b
  );
}

/**
 * Charge-now energy per slot into `allocation`: full power from the window
 * start, in time order, stopping at the required energy in
 * minimise_charging_time mode. Returns the energy allocated.
 */
export function allocateForced(prepared: PreparedSession, allocation: Float64Array): number {
  const n = prepared.count;
  const cap =
    prepared.input.chargingMode === "minimise_charging_time"
      ? Math.max(0, prepared.input.energyRequiredKwh)
      : Infinity;
  let total = 0;
  for (let k = 0; k < n; k += 1) {
    const forced = prepared.forcedCapacity[k] ?? 0;
    const take = forced < cap - total ? forced : cap - total;
    allocation[k] = take > 0 ? take : 0;
    total += allocation[k] ?? 0;
  }
  return total;
}

let heapScratch = new Int32Array(64);

function siftDown(prepared: PreparedSession, heap: Int32Array, size: number, from: number): void {
  let parent = from;
  for (;;) {
    const left = 2 * parent + 1;
    if (left >= size) return;
    const right = left + 1;
    let child = left;
    if (right < size && compareSlots(prepared, heap[right] ?? 0, heap[left] ?? 0) < 0) child = right;
    const parentSlot = heap[parent] ?? 0;
    const childSlot = heap[child] ?? 0;
    if (compareSlots(prepared, childSlot, parentSlot) >= 0) return;
    heap[parent] = childSlot;
    heap[child] = parentSlot;
    parent = child;
  }
}

/** The exact single-session allocation (kWh per prepared slot), written into `allocation`. */
export function greedyAllocation(
  prepared: PreparedSession,
  allocation: Float64Array = new Float64Array(prepared.count),
): Float64Array {
  const n = prepared.count;
  let remaining = Math.max(0, prepared.input.energyRequiredKwh) - allocateForced(prepared, allocation);
  const maximise = prepared.input.chargingMode === "maximise_charging_time";
  if (heapScratch.length < n) heapScratch = new Int32Array(n * 2);
  const heap = heapScratch;
  let size = 0;
  for (let k = 0; k < n; k += 1) {
    const free = prepared.freeCapacity[k] ?? 0;
    if (free <= 0) continue;
    if (maximise && prepared.peak[k] === 0) {
      allocation[k] = (allocation[k] ?? 0) + free;
      remaining -= free;
    } else {
      heap[size] = k;
      size += 1;
    }
  }
  if (remaining <= ENERGY_EPSILON_KWH || size === 0) return allocation;
  for (let i = (size >> 1) - 1; i >= 0; i -= 1) siftDown(prepared, heap, size, i);
  while (size > 0 && remaining > ENERGY_EPSILON_KWH) {
    const k = heap[0] ?? 0;
    size -= 1;
    heap[0] = heap[size] ?? 0;
    siftDown(prepared, heap, size, 0);
    const free = prepared.freeCapacity[k] ?? 0;
    const take = free < remaining ? free : remaining;
    allocation[k] = (allocation[k] ?? 0) + take;
    remaining -= take;
  }
  return allocation;
}

/** Householder cost of an energy allocation, pence, unrounded. */
export function allocationCost(prepared: PreparedSession, allocation: Float64Array): number {
  let cost = 0;
  for (let k = 0; k < prepared.count; k += 1) cost += (allocation[k] ?? 0) * (prepared.price[k] ?? 0);
  return cost;
}

/** Cost of delivering `energyKwh` at full power from the window start, ignoring the tariff, pence, unrounded. */
export function baselineCost(prepared: PreparedSession, energyKwh: number): number {
  let remaining = energyKwh;
  let cost = 0;
  for (let k = 0; k < prepared.count && remaining > ENERGY_EPSILON_KWH; k += 1) {
    const full = prepared.fullCapacity[k] ?? 0;
    const take = full < remaining ? full : remaining;
    cost += take * (prepared.price[k] ?? 0);
    remaining -= take;
  }
  return cost;
}

/** Rounds pence to the nearest penny (halves up), turning -0 into 0. */
export function roundPence(pence: number): number {
  return Math.round(pence) + 0;
}

/**
 * Charge-now that ends inside a slot: the slot's energy is not flat. Its forced part runs at full
 * power from the slot start until `chargeNowUntil`, then the rest of the slot's energy (if any) over
 * the remainder; averaging the two would have the charger draw less than full power while the
 * driver asked for it. Undefined when the slot is flat.
 */
function chargeNowSteps(prepared: PreparedSession, k: number, kwh: number): PlannedSlot["periods"] {
  const forcedHours = prepared.forcedHours[k] ?? 0;
  const hours = prepared.hours[k] ?? 0;
  if (!(forcedHours > 0 && forcedHours < hours) || kwh <= ENERGY_EPSILON_KWH) return undefined;
  const startMs = prepared.startMs[k] ?? 0;
  const forcedKwh = Math.min(kwh, prepared.forcedCapacity[k] ?? 0);
  const forcedKw = forcedKwh / forcedHours;
  const restKw = (kwh - forcedKwh) / (hours - forcedHours);
  if (Math.abs(forcedKw - restKw) <= 1e-9) return undefined;
  return [
    { start: new Date(startMs), kw: forcedKw },
    { start: new Date(startMs + forcedHours * MS_PER_HOUR), kw: restKw },
  ];
}

/** Turns an allocation into the plan answered to callers. */
export function summarisePlan(prepared: PreparedSession, allocation: Float64Array): ChargingPlan {
  const n = prepared.count;
  const slots: PlannedSlot[] = [];
  const inputSlots = prepared.input.slots;
  let energy = 0;
  let cost = 0;
  for (let k = 0; k < n; k += 1) {
    const source = inputSlots[prepared.slotIndex[k] ?? -1];
    const clipped = prepared.clipped[k] ?? 3;
    const kwh = allocation[k] ?? 0;
    const hours = prepared.hours[k] ?? 0;
    const price = prepared.price[k] ?? 0;
    energy += kwh;
    cost += kwh * price;
    const planned: PlannedSlot = {
      start: source !== undefined && (clipped & 1) === 0 ? source.start : new Date(prepared.startMs[k] ?? 0),
      end: source !== undefined && (clipped & 2) === 0 ? source.end : new Date(prepared.endMs[k] ?? 0),
      kw: hours > 0 ? kwh / hours : 0,
      kwh,
      pencePerKwh: price,
    };
    const steps = chargeNowSteps(prepared, k, kwh);
    if (steps !== undefined) planned.periods = steps;
    slots.push(planned);
  }
  const shortfall = Math.max(0, prepared.input.energyRequiredKwh) - energy;
  const costPence = roundPence(cost);
  const baselineCostPence = roundPence(baselineCost(prepared, energy));
  const plan: ChargingPlan = {
    slots,
    energyKwh: energy,
    costPence,
    baselineCostPence,
    savingPence: baselineCostPence - costPence,
    met: shortfall <= 1e-6,
    shortfallKwh: shortfall > 1e-6 ? shortfall : 0,
  };
  if (prepared.input.id !== undefined) plan.id = prepared.input.id;
  return plan;
}

let sessionScratch: PreparedSession | undefined;
let allocationScratch = new Float64Array(64);

/** Plans one session exactly (see the proof at the top of this file). */
export function planChargingSession(input: ChargingSessionInput): ChargingPlan {
  const prepared = prepareSession(input, sessionScratch);
  sessionScratch = prepared;
  if (allocationScratch.length < prepared.count) allocationScratch = new Float64Array(prepared.count * 2);
  return summarisePlan(prepared, greedyAllocation(prepared, allocationScratch));
}
