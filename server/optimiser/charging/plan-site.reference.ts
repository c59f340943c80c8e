// Test-only reference: the site-limited joint LP exactly as it was solved
// before the faster solve in plan-site.ts (one LP, each lexicographic level
// solved from the previous level's basis with primal simplex, then restricted
// to its optimal face). The property tests compare the two level by level.
import type { Highs } from "highs";
import {
  allocateForced,
  ENERGY_EPSILON_KWH,
  prepareSession,
  summarisePlan,
  type PreparedSession,
} from "./plan-session";
import type { ChargingPlan, SitePlan, SitePlanningInput } from "./types";

const HALF_HOUR_MS = 30 * 60_000;
const DUAL_TOLERANCE = 1e-7;
const PRIMAL_SIMPLEX = 4;

function totals(plans: ChargingPlan[], method: SitePlan["method"]): SitePlan {
  let costPence = 0;
  let baselineCostPence = 0;
  for (const plan of plans) {
    costPence += plan.costPence;
    baselineCostPence += plan.baselineCostPence;
  }
  return { plans, costPence, baselineCostPence, savingPence: baselineCostPence - costPence, method };
}

// Hours of the slot left after charge-now: a free column's power is its energy over these.
function freeHours(session: PreparedSession, k: number): number {
  return (session.hours[k] ?? 0) - (session.forcedHours[k] ?? 0);
}

interface Column {
  session: number;
  slot: number;
}

/** The previous joint-LP solve (always plain lexicographic primal simplex), kept to test the faster one against. */
export function planSiteSessionsReference(highs: Highs, input: SitePlanningInput): SitePlan {
  const limit = Math.max(0, input.siteImportLimitKw ?? Infinity);
  const prepared: PreparedSession[] = input.sessions.map((session) => prepareSession(session));
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

  // Columns: x[s,k] for every slot with free capacity, then u[s].
  const columns: Column[] = [];
  prepared.forEach((session, s) => {
    for (let k = 0; k < session.count; k += 1) {
      if ((session.freeCapacity[k] ?? 0) > ENERGY_EPSILON_KWH && freeHours(session, k) > 0)
        columns.push({ session: s, slot: k });
    }
  });
  const sessionCount = prepared.length;
  const energyColumns = columns.length;
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
  columns.forEach((column, j) => {
    const session = prepared[column.session];
    if (session === undefined) return;
    const k = column.slot;
    colUpper[j] = session.freeCapacity[k] ?? 0;
    starts[j] = nz;
    indices[nz] = column.session;
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
  });
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

  const model = highs.createModel({
    numCols,
    numRows,
    colCost: objectives[0]?.coefficients ?? new Float64Array(numCols),
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: "csc", numRows, numCols, starts, indices, values },
  });
  let solution: ArrayLike<number>;
  try {
    // Primal simplex: measured several times faster than dual here, since
    // each level starts from the previous level's optimal (primal feasible) basis.
    model.options.set({ output_flag: false, simplex_strategy: PRIMAL_SIMPLEX });
    const allColumns = { kind: "range", from: 0, to: numCols - 1 } as const;
    const allRows = { kind: "range", from: 0, to: numRows - 1 } as const;
    let primal: ArrayLike<number> = new Float64Array(numCols);
    for (const [level, objective] of objectives.entries()) {
      if (level > 0) model.changeColsCost(allColumns, objective.coefficients);
      model.run();
      const status = model.getModelStatus();
      if (status !== highs.constants.modelStatus.optimal)
        throw new Error(`site plan LP level ${level + 1} ended with HiGHS model status ${status}`);
      const result = model.getSolution();
      primal = result.colValue;
      if (level === objectives.length - 1) break;
      // Restrict to this level's optimal face: by complementary slackness, the
      // optimal solutions are exactly the feasible ones that keep every column
      // with a non-zero reduced cost at its bound and every row with a non-zero
      // dual tight. Fixing those keeps the LP sparse (no dense objective rows)
      // and the current basis feasible, so the next level warm-starts.
      for (let j = 0; j < numCols; j += 1) {
        if (Math.abs(result.colDual[j] ?? 0) > DUAL_TOLERANCE) {
          const value = primal[j] ?? 0;
          colLower[j] = value;
          colUpper[j] = value;
        }
      }
      for (let i = 0; i < numRows; i += 1) {
        if (Math.abs(result.rowDual[i] ?? 0) > DUAL_TOLERANCE) {
          const activity = result.rowValue[i] ?? 0;
          rowLower[i] = activity;
          rowUpper[i] = activity;
        }
      }
      model.changeColsBounds(allColumns, colLower, colUpper);
      model.changeRowsBounds(allRows, rowLower, rowUpper);
    }
    solution = primal;
  } finally {
    model.dispose();
  }

  columns.forEach((column, j) => {
    const allocation = allocations[column.session];
    const session = prepared[column.session];
    if (allocation === undefined || session === undefined) return;
    const upper = session.freeCapacity[column.slot] ?? 0;
    const value = Math.min(upper, Math.max(0, solution[j] ?? 0));
    allocation[column.slot] = (allocation[column.slot] ?? 0) + (value < ENERGY_EPSILON_KWH ? 0 : value);
  });
  const plans = prepared.map((session, s) =>
    summarisePlan(session, allocations[s] ?? new Float64Array(session.count)),
  );
  return totals(plans, "lp");
}
