// Lexicographic LP with HiGHS: minimise objective 1, then objective 2 over
// the optimal face of 1, and so on. Exact in the same sense as solving the
// levels one after another (up to the LP tolerances), but fast.
//
// How. Solving level by level with primal simplex, each level from the
// previous level's optimum, spends most of its time walking between the
// levels' optima (site plan, 1,000 chargers: ~7,000 iterations). Instead:
//   1. Blend the levels into one objective (each scaled to a largest
//      coefficient of 1, then weighted 1, 0.05, 0.0025, ...). The blend only
//      picks a starting vertex, so its weights need not separate the levels
//      exactly.
//   2. With a block structure (see LexicographicLp), start from the basis
//      that is optimal for the blend when the coupling rows are ignored: each
//      block row filled from its cheapest columns, the last one basic, the
//      coupling rows' slacks basic. It is dual feasible and violates only
//      coupling rows, so dual simplex repairs it (~1,800 iterations for 1,000
//      chargers; ~4,200 from the all-slack basis, ~10,000 with primal simplex).
//   3. Then every level with its own pure objective, as before: the level is
//      optimal at the current basis when its reduced costs (computed here from
//      one BTRAN of the basis) are dual feasible with respect to the current
//      bounds; only when they are not does HiGHS run primal simplex from that
//      basis. After each level the LP is restricted to its optimal face:
//      by complementary slackness the optimal solutions are exactly the
//      feasible ones that keep every column with a non-zero reduced cost at
//      its value and every row with a non-zero dual tight.
// Exactness therefore never depends on the blend: each level is proved
// optimal with its own objective by its own duals.
import type { Highs } from "highs";

export interface LexicographicLp {
  numCols: number;
  numRows: number;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  /** Column-wise (CSC) constraint matrix. */
  starts: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** Objectives in priority order, one coefficient per column each. */
  objectives: Float64Array[];
  /**
   * Optional block structure for the starting basis: rows 0..blockRows-1 are
   * block rows, every column has coefficient 1 in exactly one of them
   * (blockRowOf[j]) and its other entries are in coupling rows; every block
   * row has a column with infinite upper bound and positive blended cost
   * (a shortfall), so it can always be satisfied.
   */
  blockRows?: number;
  blockRowOf?: Int32Array;
}

export interface LexicographicResult {
  /** Column values at the last level's optimum. */
  colValue: Float64Array;
  /** Dual simplex iterations of the blended solve. */
  blendIterations: number;
  /** Levels that needed their own simplex run (the others were optimal at the blended basis). */
  levelRuns: number;
}

// Reduced costs and duals smaller than this are treated as zero (HiGHS's dual feasibility tolerance).
const DUAL_TOLERANCE = 1e-7;
// Blend weights: level l is weighted BLEND_RATIO^l (after scaling it to a
// largest coefficient of 1), and the blend is multiplied by BLEND_SCALE so that
// the lower levels' weights stay far above HiGHS's absolute tolerances (1e-7).
// Measured on the planner bench (1,000 chargers, ten instances): with a blend
// of largest coefficient ~1, dual simplex took either ~1,800 or ~3,800
// iterations depending on the ratio; scaled by 10 to 1,000 it took ~1,700-2,200
// every time, and a ratio of 0.05 left the pure levels optimal at the blended
// basis in most instances (otherwise a few dozen primal iterations).
const BLEND_RATIO = 0.05;
const BLEND_SCALE = 1000;
const DUAL_SIMPLEX = 1;
const PRIMAL_SIMPLEX = 4;
const BASIS_LOWER = 0;
const BASIS_BASIC = 1;
const BASIS_UPPER = 2;

/** The levels summed, each scaled to a largest coefficient of 1 and weighted as described at BLEND_RATIO. */
function blendObjectives(lp: LexicographicLp): Float64Array {
  const blended = new Float64Array(lp.numCols);
  let weight = 1;
  for (const objective of lp.objectives) {
    let largest = 0;
    for (let j = 0; j < lp.numCols; j += 1) largest = Math.max(largest, Math.abs(objective[j] ?? 0));
    if (largest === 0) continue;
    const scale = (BLEND_SCALE * weight) / largest;
    for (let j = 0; j < lp.numCols; j += 1) blended[j] = (blended[j] ?? 0) + scale * (objective[j] ?? 0);
    weight *= BLEND_RATIO;
  }
  return blended;
}

/**
 * A basis optimal for `cost` when the coupling rows are dropped: each block
 * row takes its columns cheapest first (negative-cost columns up to the row's
 * upper bound, the rest up to its lower bound); the column where the filling
 * stops is basic, or the row's slack when it stops between columns.
 */
function blockCrashBasis(
  lp: LexicographicLp,
  cost: Float64Array,
  blockRows: number,
  blockRowOf: Int32Array,
): { colStatus: Int32Array; rowStatus: Int32Array } {
  const colStatus = new Int32Array(lp.numCols);
  const rowStatus = new Int32Array(lp.numRows).fill(BASIS_BASIC);
  // Columns grouped by block row (counting sort), then each group by cost.
  const groupStart = new Int32Array(blockRows + 1);
  for (let j = 0; j < lp.numCols; j += 1) {
    const row = blockRowOf[j] ?? 0;
    groupStart[row + 1] = (groupStart[row + 1] ?? 0) + 1;
  }
  for (let r = 0; r < blockRows; r += 1) groupStart[r + 1] = (groupStart[r + 1] ?? 0) + (groupStart[r] ?? 0);
  const fill = groupStart.slice(0, blockRows);
  const grouped = new Int32Array(lp.numCols);
  for (let j = 0; j < lp.numCols; j += 1) {
    const row = blockRowOf[j] ?? 0;
    grouped[fill[row] ?? 0] = j;
    fill[row] = (fill[row] ?? 0) + 1;
  }
  for (let r = 0; r < blockRows; r += 1) {
    const group = grouped.subarray(groupStart[r] ?? 0, groupStart[r + 1] ?? 0);
    group.sort((a, b) => (cost[a] ?? 0) - (cost[b] ?? 0) || a - b);
    let activity = 0;
    for (const j of group) activity += lp.colLower[j] ?? 0;
    const rowLower = lp.rowLower[r] ?? 0;
    const rowUpper = lp.rowUpper[r] ?? 0;
    let basic = -1;
    for (const j of group) {
      const range = (lp.colUpper[j] ?? 0) - (lp.colLower[j] ?? 0);
      const target = (cost[j] ?? 0) < 0 ? rowUpper : rowLower;
      if (basic >= 0 || activity >= target) {
        colStatus[j] = BASIS_LOWER;
      } else if (activity + range <= target) {
        colStatus[j] = BASIS_UPPER;
        activity += range;
      } else {
        colStatus[j] = BASIS_BASIC;
        basic = j;
        activity = target;
      }
    }
    rowStatus[r] = basic >= 0 ? BASIS_LOWER : BASIS_BASIC;
  }
  return { colStatus, rowStatus };
}

interface Duals {
  colDual: Float64Array;
  rowDual: Float64Array;
}

/**
 * Reduced costs and row duals of `objective` at the model's current basis,
 * or null when they are not dual feasible for the current bounds (the basis
 * is then not optimal for this level).
 */
function dualsAtBasis(
  lp: LexicographicLp,
  objective: Float64Array,
  basicVariables: Int32Array,
  colStatus: Int32Array,
  rowStatus: Int32Array,
  bounds: Bounds,
  transposeSolve: (rhs: Float64Array) => Float64Array,
): Duals | null {
  const rhs = new Float64Array(lp.numRows);
  basicVariables.forEach((variable, position) => {
    // Columns are >= 0; row slacks are -row - 1 and cost nothing.
    if (variable >= 0) rhs[position] = objective[variable] ?? 0;
  });
  const rowDual = transposeSolve(rhs);
  const colDual = new Float64Array(lp.numCols);
  for (let j = 0; j < lp.numCols; j += 1) {
    let reduced = objective[j] ?? 0;
    for (let p = lp.starts[j] ?? 0; p < (lp.starts[j + 1] ?? 0); p += 1)
      reduced -= (lp.values[p] ?? 0) * (rowDual[lp.indices[p] ?? 0] ?? 0);
    colDual[j] = reduced;
    const status = colStatus[j];
    if (status === BASIS_BASIC || bounds.colLower[j] === bounds.colUpper[j]) continue;
    if (
      status === BASIS_LOWER
        ? reduced < -DUAL_TOLERANCE
        : status === BASIS_UPPER
          ? reduced > DUAL_TOLERANCE
          : Math.abs(reduced) > DUAL_TOLERANCE
    )
      return null;
  }
  for (let i = 0; i < lp.numRows; i += 1) {
    const status = rowStatus[i];
    const dual = rowDual[i] ?? 0;
    if (status === BASIS_BASIC) {
      // A basic row's dual is zero up to rounding.
      rowDual[i] = 0;
      continue;
    }
    if (bounds.rowLower[i] === bounds.rowUpper[i]) continue;
    if (
      status === BASIS_LOWER
        ? dual < -DUAL_TOLERANCE
        : status === BASIS_UPPER
          ? dual > DUAL_TOLERANCE
          : Math.abs(dual) > DUAL_TOLERANCE
    )
      return null;
  }
  return { colDual, rowDual };
}

interface Bounds {
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
}

/** Solves the lexicographic LP; throws when a level is not solved to optimality. */
export function solveLexicographic(highs: Highs, lp: LexicographicLp): LexicographicResult {
  const { numCols, numRows } = lp;
  const bounds: Bounds = {
    colLower: Float64Array.from(lp.colLower),
    colUpper: Float64Array.from(lp.colUpper),
    rowLower: Float64Array.from(lp.rowLower),
    rowUpper: Float64Array.from(lp.rowUpper),
  };
  const blended = blendObjectives(lp);
  const model = highs.createModel({
    numCols,
    numRows,
    colCost: blended,
    colLower: bounds.colLower,
    colUpper: bounds.colUpper,
    rowLower: bounds.rowLower,
    rowUpper: bounds.rowUpper,
    matrix: { format: "csc", numRows, numCols, starts: lp.starts, indices: lp.indices, values: lp.values },
  });
  try {
    const optimal = highs.constants.modelStatus.optimal;
    model.options.set({ output_flag: false, simplex_strategy: DUAL_SIMPLEX });
    if (lp.blockRows !== undefined && lp.blockRowOf !== undefined) {
      try {
        model.setBasis(blockCrashBasis(lp, blended, lp.blockRows, lp.blockRowOf));
      } catch {
        // The starting basis only saves iterations: if HiGHS rejects it, start from the slacks.
        model.setLogicalBasis();
      }
    }
    model.run();
    const blendIterations = Number(model.info.get("simplex_iteration_count"));
    // Later runs start from a primal feasible basis (the previous optimum).
    model.options.set({ simplex_strategy: PRIMAL_SIMPLEX });
    let haveBasis = model.getModelStatus() === optimal;
    let solution = model.getSolution();
    let basis = haveBasis ? model.getBasis() : { colStatus: new Int32Array(0), rowStatus: new Int32Array(0) };
    let basicVariables = haveBasis ? model.getBasicVariables() : new Int32Array(0);
    let boundsChanged = false;
    let levelRuns = 0;
    const allColumns = { kind: "range", from: 0, to: numCols - 1 } as const;
    const allRows = { kind: "range", from: 0, to: numRows - 1 } as const;
    const transposeSolve = (rhs: Float64Array): Float64Array => model.getBasisTransposeSolve(rhs).values;
    for (const [level, objective] of lp.objectives.entries()) {
      let duals = haveBasis
        ? dualsAtBasis(
            lp,
            objective,
            basicVariables,
            basis.colStatus,
            basis.rowStatus,
            bounds,
            transposeSolve,
          )
        : null;
      if (duals === null) {
        if (boundsChanged) {
          model.changeColsBounds(allColumns, bounds.colLower, bounds.colUpper);
          model.changeRowsBounds(allRows, bounds.rowLower, bounds.rowUpper);
          boundsChanged = false;
        }
        model.changeColsCost(allColumns, objective);
        model.run();
        levelRuns += 1;
        const status = model.getModelStatus();
        if (status !== optimal)
          throw new Error(`LP level ${level + 1} ended with HiGHS model status ${status}`);
        haveBasis = true;
        solution = model.getSolution();
        basis = model.getBasis();
        basicVariables = model.getBasicVariables();
        duals = solution;
      }
      if (level === lp.objectives.length - 1) break;
      // Restrict to this level's optimal face (see the header).
      for (let j = 0; j < numCols; j += 1) {
        if (Math.abs(duals.colDual[j] ?? 0) > DUAL_TOLERANCE) {
          const value = solution.colValue[j] ?? 0;
          bounds.colLower[j] = value;
          bounds.colUpper[j] = value;
          boundsChanged = true;
        }
      }
      for (let i = 0; i < numRows; i += 1) {
        if (Math.abs(duals.rowDual[i] ?? 0) > DUAL_TOLERANCE) {
          const activity = solution.rowValue[i] ?? 0;
          bounds.rowLower[i] = activity;
          bounds.rowUpper[i] = activity;
          boundsChanged = true;
        }
      }
    }
    return { colValue: solution.colValue, blendIterations, levelRuns };
  } finally {
    model.dispose();
  }
}
