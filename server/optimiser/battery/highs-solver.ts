// One HiGHS (WASM) runtime per process: loading costs tens of milliseconds and the first
// solves are slow while the engine warms up, so the instance is cached and can be warmed.
import loadHighs, { type Highs, type ModelData } from "highs";

let highsPromise: Promise<Highs> | undefined;

export function loadHighsSolver(): Promise<Highs> {
  if (!highsPromise) {
    highsPromise = loadHighs().catch((error: unknown) => {
      highsPromise = undefined;
      throw error;
    });
  }
  return highsPromise;
}

export type LinearSolveOutcome =
  | { status: "optimal"; columnValues: Float64Array }
  /** A MILP stopped by its time limit with a feasible incumbent. */
  | { status: "feasible"; columnValues: Float64Array }
  | { status: "infeasible" }
  | { status: "failed"; detail: string };

/** Solves a minimisation LP, or a MILP when `integrality` is present. Synchronous once HiGHS is loaded. */
export function solveLinearModel(highs: Highs, model: ModelData, options: { mipTimeLimitSeconds?: number } = {}): LinearSolveOutcome {
  const { modelStatus } = highs.constants;
  if (!model.integrality) {
    const result = highs.raw.lpCall(model);
    if (result.status === highs.constants.status.error) return { status: "failed", detail: "HiGHS reported an error" };
    const value = result.value;
    if (value.modelStatus === modelStatus.optimal) return { status: "optimal", columnValues: value.solution.colValue };
    if (value.modelStatus === modelStatus.infeasible || value.modelStatus === modelStatus.unboundedOrInfeasible) return { status: "infeasible" };
    return { status: "failed", detail: `HiGHS model status ${value.modelStatus}` };
  }
  const mip = highs.createModel(model);
  try {
    // The default 1e-4 relative gap would let the answer drift from the optimum by a visible fraction of a penny.
    mip.options.set({ output_flag: false, mip_rel_gap: 1e-9, mip_abs_gap: 1e-6, time_limit: options.mipTimeLimitSeconds ?? 1 });
    const run = mip.run();
    if (run.modelStatus === modelStatus.optimal) return { status: "optimal", columnValues: mip.getSolution().colValue };
    if (run.modelStatus === modelStatus.infeasible || run.modelStatus === modelStatus.unboundedOrInfeasible) return { status: "infeasible" };
    const feasibleSolutionStatus = 2;
    if (run.modelStatus === modelStatus.timeLimit && mip.info.get("primal_solution_status") === feasibleSolutionStatus) {
      return { status: "feasible", columnValues: mip.getSolution().colValue };
    }
    return { status: "failed", detail: `HiGHS model status ${run.modelStatus}` };
  } finally {
    mip.dispose();
  }
}
