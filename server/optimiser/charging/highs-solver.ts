// HiGHS (WebAssembly) is loaded once per process and shared: loading compiles
// the module, which costs far more than a solve.
import highsLoader, { type Highs } from "highs";

let loading: Promise<Highs> | undefined;

export function loadHighs(): Promise<Highs> {
  if (loading === undefined) {
    loading = highsLoader().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  }
  return loading;
}
