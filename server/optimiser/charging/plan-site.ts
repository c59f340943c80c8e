// Joint plan for several chargers behind one site import limit.
//
// Each session is first planned alone with its exact greedy. When the limit
// can never bind (it is at least the sum of the chargers' powers), or the
// independent plans respect it anyway, those plans are optimal for the joint
// problem too (they optimise a relaxation and are feasible, and lexicographic
// order is preserved by sums). Otherwise one LP is solved with HiGHS, with the
// same objectives as the single-session planner (plan-session.ts), summed over
// the sessions and ranked lexicographically (each level is optimised, then the
// LP is restricted to that level's optimal face before the next level is
// optimised):
//   1. total shortfall;
//   2. (maximise_charging_time sessions) off-peak energy, maximised;
//   3. energy in peak slots;
//   4. householder cost, pence;
//   5. energy in turn-down-event slots;
//   6. energy-weighted market price.
// Variables: x[s,k] kWh for session s in slot k, 0 <= x <= the slot's free
// capacity; u[s] >= 0 shortfall. Rows: for each session, sum_k x[s,k] + u[s]
// equals (minimise_charging_time) or is at least (maximise_charging_time) the
// energy still required after charge-now; for each half-hour slot t,
// sum_s x[s,t] / h[s,t] <= headroom[t], where h is the hours the session may
// charge in the slot outside charge-now, so x / h is its power while charging.
// Powers of sessions (or of one session's charge-now and planned parts) that
// charge in different parts of an edge slot are added as if they overlapped:
// conservative, never above the limit at any instant.
//
// The levels are solved by lexicographic-lp.ts: one dual simplex solve of a
// blend of the levels from a starting basis made of each session's own
// cheapest slots, then every level proved optimal with its own objective (and
// re-solved from that basis when it is not), restricting to its optimal face
// as above. 1,000 chargers x 48 slots: ~1,800 simplex iterations in all
// instead of ~7,000 when every level was solved from the previous one.
//
// Charge-now comes first: it is the householder's explicit request. Its power
// is taken from the limit before planning; if charge-now sessions alone exceed
// the limit in a slot, they share it in proportion to their power.
import type { Highs } from "highs";
import { loadHighs } from "./highs-solver";
import { solveLexicographic, type LexicographicLp } from "./lexicographic-lp";
import {
  allocateForced,
  ENERGY_EPSILON_KWH,
  greedyAllocation,
  prepareSession,
  summarisePlan,
  type PreparedSession,
} from "./plan-session";
import type { ChargingPlan, SitePlan, SitePlanningInput } from "./types";

const HALF_HOUR_MS = 30 * 60_000;

function totals(plans: ChargingPlan[], method: SitePlan["method"]): SitePlan {
  let costPence = 0;
  let baselineCostPence = 0;
  for (const plan of plans) {
    costPence += plan.costPence;
    baselineCostPence += plan.baselineCostPence;
  }
  return { plans, costPence, baselineCostPence, savingPence: baselineCostPence - costPence, method };
}

/** True when the limit can bind: more than one session and their chargers together exceed it. */
export function siteLimitCanBind(input: SitePlanningInput): boolean {
  const limit = input.siteImportLimitKw;
  if (limit == null || input.sessions.length === 0) return false;
  let total = 0;
  for (const session of input.sessions) total += Math.max(0, session.chargerMaxKw);
  return total > limit + 1e-9;
}

/**
 * Plans every session of a site. Exact: independent greedy plans when the
 * limit cannot bind, otherwise the joint LP (HiGHS is loaded on first use).
 */
export async function planSiteSessions(input: SitePlanningInput): Promise<SitePlan> {
  const prepared = input.sessions.map((session) => prepareSession(session));
  const allocations = prepared.map((session) => greedyAllocation(session));
  // The independent plans optimise a relaxation (no shared limit); when they
  // happen to respect the limit they are optimal for the joint problem too.
  if (!siteLimitCanBind(input) || respectsLimit(prepared, allocations, input.siteImportLimitKw ?? Infinity)) {
    return totals(
      prepared.map((session, s) => summarisePlan(session, allocations[s] ?? new Float64Array(session.count))),
      "greedy",
    );
  }
  const highs = await loadHighs();
  return planSiteSessionsWithHighs(highs, input, { prepared });
}

// Whether the summed powers stay within the limit in every half hour, with the
// LP's definition of power (charge-now and planned parts of a slot each over
// their own duration, added as if they overlapped).
function respectsLimit(prepared: PreparedSession[], allocations: Float64Array[], limit: number): boolean {
  const power = new Map<number, number>();
  for (const [s, session] of prepared.entries()) {
    const allocation = allocations[s];
    if (allocation === undefined) continue;
    const forcedAllocation = new Float64Array(session.count);
    allocateForced(session, forcedAllocation);
    for (let k = 0; k < session.count; k += 1) {
      const forcedKwh = forcedAllocation[k] ?? 0;
      const freeKwh = (allocation[k] ?? 0) - forcedKwh;
      const forcedHours = session.forcedHours[k] ?? 0;
      const hours = freeHours(session, k);
      const kw =
        (forcedKwh > 0 && forcedHours > 0 ? forcedKwh / forcedHours : 0) +
        (freeKwh > ENERGY_EPSILON_KWH && hours > 0 ? freeKwh / hours : 0);
      if (kw === 0) continue;
      const bucket = Math.floor((session.startMs[k] ?? 0) / HALF_HOUR_MS);
      const total = (power.get(bucket) ?? 0) + kw;
      if (total > limit + 1e-9) return false;
      power.set(bucket, total);
    }
  }
  return true;
}

// Hours of the slot left after charge-now: a free column's power is its energy over these.
function freeHours(session: PreparedSession, k: number): number {
  return (session.hours[k] ?? 0) - (session.forcedHours[k] ?? 0);
}

/** Solves the joint LP's lexicographic levels; returns the column values. */
export type SiteLpSolver = (highs: Highs, lp: LexicographicLp) => ArrayLike<number>;

const solveFast: SiteLpSolver = (highs, lp) => solveLexicographic(highs, lp).colValue;

/**
 * The joint LP, given a loaded HiGHS. Options: the sessions already laid out by prepareSession
 * (not changed here), and the solver (tests pass the previous level-by-level one to compare).
 */
export function planSiteSessionsWithHighs(
  highs: Highs,
  input: SitePlanningInput,
  options: { prepared?: PreparedSession[]; solve?: SiteLpSolver } = {},
): SitePlan {
  const prepared = options.prepared ?? input.sessions.map((session) => prepareSession(session));
  const solve = options.solve ?? solveFast;
  const limit = Math.max(0, input.siteImportLimitKw ?? Infinity);
  const allocations = prepared.map((session) => new Float64Array(session.count));

  // Half-hour buckets shared by the sessions.
  const bucketOf = (ms: number): number => Math.floor(ms / HALF_HOUR_MS);
  const bucketIndex = new Map<number, number>();
  for (const session of prepared) {
    for (let k = 0; k < session.count; k += 1) {
      const bucket = bucketOf(session.startMs[k] ?? 0);
      if (!bucketIndex.has(bucket)) bucketIndex.set(bucket, bucketIndex.size);
    }
  }
  const bucketCount = bucketIndex.size;
  const bucketFor = (session: PreparedSession, k: number): number =>
    bucketIndex.get(bucketOf(session.startMs[k] ?? 0)) ?? 0;

  // Charge-now first, scaled down where it alone exceeds the limit.
  const forcedPower = new Float64Array(bucketCount);
  prepared.forEach((session, s) => {
    const allocation = allocations[s] ?? new Float64Array(0);
    allocateForced(session, allocation);
    for (let k = 0; k < session.count; k += 1) {
      const hours = session.forcedHours[k] ?? 0;
      const bucket = bucketFor(session, k);
      if ((allocation[k] ?? 0) > 0 && hours > 0)
        forcedPower[bucket] = (forcedPower[bucket] ?? 0) + (allocation[k] ?? 0) / hours;
    }
  });
  const headroom = new Float64Array(bucketCount);
  for (let b = 0; b < bucketCount; b += 1) {
    const power = forcedPower[b] ?? 0;
    headroom[b] = Math.max(0, limit - power);
    if (power > limit) {
      const scale = limit / power;
      prepared.forEach((session, s) => {
        const allocation = allocations[s] ?? new Float64Array(0);
        for (let k = 0; k < session.count; k += 1)
          if (bucketFor(session, k) === b) allocation[k] = (allocation[k] ?? 0) * scale;
      });
    }
  }

  // Columns: x[s,k] for every slot with free capacity (session and slot of
  // each in typed arrays: there are tens of thousands), then u[s].
  const isColumn = (session: PreparedSession, k: number): boolean =>
    (session.freeCapacity[k] ?? 0) > ENERGY_EPSILON_KWH && freeHours(session, k) > 0;
  let energyColumns = 0;
  for (const session of prepared)
    for (let k = 0; k < session.count; k += 1) if (isColumn(session, k)) energyColumns += 1;
  const columnSession = new Int32Array(energyColumns);
  const columnSlot = new Int32Array(energyColumns);
  let column = 0;
  prepared.forEach((session, s) => {
    for (let k = 0; k < session.count; k += 1) {
      if (!isColumn(session, k)) continue;
      columnSession[column] = s;
      columnSlot[column] = k;
      column += 1;
    }
  });
  const sessionCount = prepared.length;
  const numCols = energyColumns + sessionCount;
  const numRows = sessionCount + bucketCount;
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols);
  const starts = new Int32Array(numCols + 1);
  const indices = new Int32Array(energyColumns * 2 + sessionCount);
  const values = new Float64Array(energyColumns * 2 + sessionCount);
  const shortfallCost = new Float64Array(numCols);
  const offPeakReward = new Float64Array(numCols);
  const peakEnergy = new Float64Array(numCols);
  const cost = new Float64Array(numCols);
  const turnDownEnergy = new Float64Array(numCols);
  const marketValue = new Float64Array(numCols);
  let anyMaximise = false;
  let anyPeak = false;
  let anyTurnDown = false;
  let marketMin = Infinity;
  let marketMax = -Infinity;
  let nz = 0;
  for (let j = 0; j < energyColumns; j += 1) {
    const s = columnSession[j] ?? 0;
    const session = prepared[s];
    if (session === undefined) continue;
    const k = columnSlot[j] ?? 0;
    colUpper[j] = session.freeCapacity[k] ?? 0;
    starts[j] = nz;
    indices[nz] = s;
    values[nz] = 1;
    nz += 1;
    indices[nz] = sessionCount + bucketFor(session, k);
    values[nz] = 1 / freeHours(session, k);
    nz += 1;
    const peak = session.peak[k] === 1;
    if (!peak && session.input.chargingMode === "maximise_charging_time") {
      offPeakReward[j] = -1;
      anyMaximise = true;
    }
    if (peak) {
      peakEnergy[j] = 1;
      anyPeak = true;
    }
    cost[j] = session.price[k] ?? 0;
    if (session.turnDown[k] === 1) {
      turnDownEnergy[j] = 1;
      anyTurnDown = true;
    }
    const market = session.market[k] ?? 0;
    marketValue[j] = market;
    marketMin = Math.min(marketMin, market);
    marketMax = Math.max(marketMax, market);
  }
  const rowLower = new Float64Array(numRows);
  const rowUpper = new Float64Array(numRows);
  for (let s = 0; s < sessionCount; s += 1) {
    const j = energyColumns + s;
    colUpper[j] = highs.infinity;
    shortfallCost[j] = 1;
    starts[j] = nz;
    indices[nz] = s;
    values[nz] = 1;
    nz += 1;
    const session = prepared[s];
    const allocation = allocations[s];
    let forced = 0;
    if (session !== undefined && allocation !== undefined)
      for (let k = 0; k < session.count; k += 1) forced += allocation[k] ?? 0;
    const required = Math.max(0, Math.max(0, session?.input.energyRequiredKwh ?? 0) - forced);
    rowLower[s] = required;
    rowUpper[s] = session?.input.chargingMode === "maximise_charging_time" ? highs.infinity : required;
  }
  starts[numCols] = nz;
  for (let b = 0; b < bucketCount; b += 1) {
    rowLower[sessionCount + b] = -highs.infinity;
    rowUpper[sessionCount + b] = headroom[b] ?? 0;
  }

  const objectives: { coefficients: Float64Array }[] = [{ coefficients: shortfallCost }];
  if (anyMaximise) objectives.push({ coefficients: offPeakReward });
  if (anyPeak) objectives.push({ coefficients: peakEnergy });
  objectives.push({ coefficients: cost });
  if (anyTurnDown) objectives.push({ coefficients: turnDownEnergy });
  if (marketMax > marketMin) objectives.push({ coefficients: marketValue });

  const blockRowOf = new Int32Array(numCols);
  blockRowOf.set(columnSession);
  for (let s = 0; s < sessionCount; s += 1) blockRowOf[energyColumns + s] = s;
  const solution = solve(highs, {
    numCols,
    numRows,
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    starts,
    indices,
    values,
    objectives: objectives.map((objective) => objective.coefficients),
    blockRows: sessionCount,
    blockRowOf,
  });

  for (let j = 0; j < energyColumns; j += 1) {
    const allocation = allocations[columnSession[j] ?? 0];
    const session = prepared[columnSession[j] ?? 0];
    if (allocation === undefined || session === undefined) continue;
    const k = columnSlot[j] ?? 0;
    const upper = session.freeCapacity[k] ?? 0;
    const value = Math.min(upper, Math.max(0, solution[j] ?? 0));
    allocation[k] = (allocation[k] ?? 0) + (value < ENERGY_EPSILON_KWH ? 0 : value);
  }
  const plans = prepared.map((session, s) =>
    summarisePlan(session, allocations[s] ?? new Float64Array(session.count)),
  );
  return totals(plans, "lp");
}
