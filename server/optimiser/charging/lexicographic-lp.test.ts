import type { Highs } from "highs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadHighs } from "./highs-solver";
import { solveLexicographic, type LexicographicLp } from "./lexicographic-lp";

let highs: Highs;
beforeAll(async () => {
  highs = await loadHighs();
});

// One block row: x0 + x1 + u = 1 (u a shortfall), columns in [0, 1].
function oneRow(objectives: number[][], withBlocks: boolean): LexicographicLp {
  const lp: LexicographicLp = {
    numCols: 3,
    numRows: 1,
    colLower: new Float64Array([0, 0, 0]),
    colUpper: new Float64Array([1, 1, Infinity]),
    rowLower: new Float64Array([1]),
    rowUpper: new Float64Array([1]),
    starts: new Int32Array([0, 1, 2, 3]),
    indices: new Int32Array([0, 0, 0]),
    values: new Float64Array([1, 1, 1]),
    objectives: objectives.map((objective) => Float64Array.from(objective)),
  };
  if (withBlocks) {
    lp.blockRows = 1;
    lp.blockRowOf = new Int32Array([0, 0, 0]);
  }
  return lp;
}

describe("solveLexicographic", () => {
  it("solves every level with its own objective even when the blend prefers another vertex", () => {
    // Level 2 is huge for x0, so the blend favours x1; level 1 (x0 cheaper by 1%) must still win.
    for (const withBlocks of [false, true]) {
      const result = solveLexicographic(
        highs,
        oneRow(
          [
            [1, 1.01, 10],
            [1000, 0, 0],
          ],
          withBlocks,
        ),
      );
      expect(Array.from(result.colValue).map((value) => Math.round(value * 1e9) / 1e9 + 0)).toEqual([
        1, 0, 0,
      ]);
      expect(result.levelRuns).toBeGreaterThanOrEqual(1);
    }
  });

  it("breaks a tie on the first level with the second", () => {
    const result = solveLexicographic(
      highs,
      oneRow(
        [
          [0, 0, 1],
          [5, 3, 0],
        ],
        true,
      ),
    );
    expect(Array.from(result.colValue).map((value) => Math.round(value * 1e9) / 1e9 + 0)).toEqual([0, 1, 0]);
  });

  it("takes the shortfall only when the columns cannot meet the row", () => {
    const lp = oneRow([[0, 0, 1]], true);
    lp.rowLower[0] = 3;
    lp.rowUpper[0] = 3;
    const result = solveLexicographic(highs, lp);
    expect(Array.from(result.colValue).map((value) => Math.round(value * 1e9) / 1e9 + 0)).toEqual([1, 1, 1]);
  });
});
