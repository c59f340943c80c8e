// `npm run bench`: runs every benchmark one after another, each in its own process (each
// starts its own throwaway PostgreSQL), and prints their figures. Pass names to run some:
//   npm run bench -- planner readings-ingest
// Sizes are each script's defaults; run a script directly to choose its arguments.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = path.dirname(fileURLToPath(import.meta.url));
// Only the scripts directly in bench/: bench/lib/ holds their shared setup, not benchmarks.
const all = readdirSync(benchDir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && entry.name !== "run-all.ts")
  .map((entry) => entry.name.replace(/\.ts$/, ""))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${all.join(", ")}`);
  process.exit(2);
}

const failed: string[] = [];
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n=== ${name} ===`);
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", path.join(benchDir, `${name}.ts`)], { stdio: "inherit", env: process.env });
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s, exit ${run.status ?? run.signal})`);
  if (run.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nFailed: ${failed.join(", ")}`);
  process.exit(1);
}
