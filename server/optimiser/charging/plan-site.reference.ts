// Test-only reference: the joint LP's levels solved as they were before lexicographic-lp.ts (one
// model, each level solved from the previous level's basis with primal simplex, then restricted to
// its optimal face). The property tests plan the same sites with both solvers and compare them
// level by level; the model itself is plan-site.ts's, checked separately against an independent
// LP-text reference.
import type { Highs } from "highs";
import type { LexicographicLp } from "./lexicographic-lp";
import { planSiteSessionsWithHighs } from "./plan-site";
import type { SitePlan, SitePlanningInput } from "./types";

// Reduced costs and duals smaller than this are treated as zero.
const DUAL_TOLERANCE = 1e-7;
const PRIMAL_SIMPLEX = 4;

/** Every level with its own objective, one after another, each restricted to the previous optima. */
export function solveLevelByLevel(highs: Highs, lp: LexicographicLp): ArrayLike<number> {
  const { numCols, numRows } = lp;
  const colLower = Float64Array.from(lp.colLower);
  const colUpper = Float64Array.from(lp.colUpper);
  const rowLower = Float64Array.from(lp.rowLower);
  const rowUpper = Float64Array.from(lp.rowUpper);
  const model = highs.createModel({
    numCols,
    numRows,
    colCost: lp.objectives[0] ?? new Float64Array(numCols),
    colLower,
    colUpper,
    rowLower,
    rowUpper,
    matrix: { format: "csc", numRows, numCols, starts: lp.starts, indices: lp.indices, values: lp.values },
  });
  try {
    model.options.set({ output_flag: false, simplex_strategy: PRIMAL_SIMPLEX });
    const allColumns = { kind: "range", from: 0, to: numCols - 1 } as const;
    const allRows = { kind: "range", from: 0, to: numRows - 1 } as const;
    let primal: ArrayLike<number> = new Float64Array(numCols);
    for (const [level, objective] of lp.objectives.entries()) {
      if (level > 0) model.changeColsCost(allColumns, objective);
      model.run();
      const status = model.getModelStatus();
      if (status !== highs.constants.modelStatus.optimal) throw new Error(`reference LP level ${level + 1} ended with HiGHS model status ${status}`);
      const result = model.getSolution();
      primal = result.colValue;
      if (level === lp.objectives.length - 1) break;
      // The optimal face, by complementary slackness (see lexicographic-lp.ts).
      for (let j = 0; j < numCols; j += 1) {
        if (Math.abs(result.colDual[j] ?? 0) > DUAL_TOLERANCE) {
          colLower[j] = primal[j] ?? 0;
          colUpper[j] = primal[j] ?? 0;
        }
      }
      for (let i = 0; i < numRows; i += 1) {
        if (Math.abs(result.rowDual[i] ?? 0) > DUAL_TOLERANCE) {
          rowLower[i] = result.rowValue[i] ?? 0;
          rowUpper[i] = result.rowValue[i] ?? 0;
        }
      }
      model.changeColsBounds(allColumns, colLower, colUpper);
      model.changeRowsBounds(allRows, rowLower, rowUpper);
    }
    return primal;
  } finally {
    model.dispose();
  }
}

/** The joint plan with the previous solver, to test the faster one against. */
export function planSiteSessionsReference(highs: Highs, input: SitePlanningInput): SitePlan {
  return planSiteSessionsWithHighs(highs, input, { solve: solveLevelByLevel });
}
