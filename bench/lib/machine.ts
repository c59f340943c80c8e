// Benchmarks print the machine's load with their figures: on a busy machine they are slower.
import os from "node:os";

/** The 1, 5 and 15 minute load averages and the cores: "load average 0.8 / 0.6 / 0.5 (1/5/15 min) on 2 cores". */
export function machineLoad(): string {
  const averages = os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" / ");
  return `load average ${averages} (1/5/15 min) on ${os.cpus().length} cores`;
}
