// The outside world of the demo: the OEM simulator with a fleet of batteries.
// Filled in as the simulator and fleet seeding land; for now there is nothing to start.
import type { Config } from "@/server/config";

export interface DemoWorld {
  url: string;
  stop(): Promise<void>;
}

export async function startDemoWorld(_config: Config, _orgId: string, _say: (line: string) => void): Promise<DemoWorld | undefined> {
  return undefined;
}
