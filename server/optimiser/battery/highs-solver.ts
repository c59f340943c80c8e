// One HiGHS (WASM) runtime per process: loading costs tens of milliseconds and the first
// solves are slow while the engine warms up, so the instance is cached and can be warmed.
import loadHighs, { type BasisInput, type Highs, type ModelData, type RawModelApi } from "highs";

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
  /** A MILP stopped by its node limit with a feasible incumbent. */
  | { status: "feasible"; columnValues: Float64Array }
  | { status: "infeasible" }
  | { status: "failed"; detail: string };

export interface LinearSolveOptions {
  /** Branch-and-bound node budget for a MILP (deterministic, unlike a time limit); an LP is never limited. */
  mipNodeLimit?: number;
  /** Starting simplex basis for an LP (same dimensions as the model); a bad one only costs iterations. */
  startBasis?: BasisInput;
}

// The fast LP path keeps one persistent HiGHS instance per runtime instead of the one-shot
// lpCall, which constructs and destroys a whole solver (options registry included) per model.
// Every solve replaces the model (passLp drops the previous basis) and installs its own start
// basis, so the answer never depends on what was solved before. Solves are synchronous, so
// sharing the instance between concurrent callers is safe.
const persistentLpSolvers = new WeakMap<Highs, RawModelApi>();

function persistentLpSolver(highs: Highs): RawModelApi {
  let solver = persistentLpSolvers.get(highs);
  if (!solver || solver.disposed) {
    solver = highs.raw.createModel();
    // Presolve costs more than it saves on a model this small and this sparse, and primal
    // simplex from a primal-feasible start basis needs the fewest iterations (measured, see
    // docs/benchmarks.md).
    solver.setOptionValue("output_flag", false);
    solver.setOptionValue("presolve", "off");
    solver.setOptionValue("solver", "simplex");
    solver.setOptionValue("simplex_strategy", 4);
    persistentLpSolvers.set(highs, solver);
  }
  return solver;
}

/** Tuned persistent instance; undefined when it ends without a proven optimum (the caller falls back). */
function solveLpFast(highs: Highs, model: ModelData, startBasis: BasisInput | undefined): Float64Array | undefined {
  const solver = persistentLpSolver(highs);
  if (solver.passLp(model).status === highs.constants.status.error) return undefined;
  if (startBasis && solver.setBasis(startBasis).status === highs.constants.status.error) solver.setLogicalBasis();
  if (solver.run().status === highs.constants.status.error) return undefined;
  if (solver.getModelStatus() !== highs.constants.modelStatus.optimal) return undefined;
  const solution = solver.getSolution();
  return solution.status === highs.constants.status.error ? undefined : solution.value.colValue;
}

/** Solves a minimisation LP, or a MILP when `integrality` is present. Synchronous once HiGHS is loaded. */
export function solveLinearModel(highs: Highs, model: ModelData, options: LinearSolveOptions = {}): LinearSolveOutcome {
  const { modelStatus } = highs.constants;
  if (!model.integrality) {
    const fast = solveLpFast(highs, model, options.startBasis);
    if (fast) return { status: "optimal", columnValues: fast };
    // Infeasible days, and anything the tuned settings could not finish, get the default
    // settings in a fresh instance: the verdict comes from HiGHS's most robust path.
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
    mip.options.set({ output_flag: false, mip_rel_gap: 1e-9, mip_abs_gap: 1e-6, ...(options.mipNodeLimit === undefined ? {} : { mip_max_nodes: options.mipNodeLimit }) });
    const run = mip.run();
    if (run.modelStatus === modelStatus.optimal) return { status: "optimal", columnValues: mip.getSolution().colValue };
    if (run.modelStatus === modelStatus.infeasible || run.modelStatus === modelStatus.unboundedOrInfeasible) return { status: "infeasible" };
    const feasibleSolutionStatus = 2;
    const stoppedEarly = run.modelStatus === modelStatus.timeLimit || run.modelStatus === modelStatus.solutionLimit || run.modelStatus === modelStatus.iterationLimit;
    if (stoppedEarly && mip.info.get("primal_solution_status") === feasibleSolutionStatus) {
      return { status: "feasible", columnValues: mip.getSolution().colValue };
    }
    return { status: "failed", detail: `HiGHS model status ${run.modelStatus}` };
  } finally {
    mip.dispose();
  }
}
