// The outside world of the demo: the OEM cloud simulator with a live fleet of
// batteries across the four OEMs (see docs/simulator.md). The fleet is
// deterministic (seeded), so a restart recreates the same devices and credentials.
import type { Config } from "@/server/config";
import { startSimulator } from "@/simulator/index";

export interface DemoWorld {
  url: string;
  stop(): Promise<void>;
}

export const DEMO_FLEET = { count: 36, seed: 1 };

export async function startDemoWorld(config: Config, _orgId: string, say: (line: string) => void): Promise<DemoWorld | undefined> {
  const simulator = await startSimulator({ port: config.simulator.port, fleet: DEMO_FLEET, seed: DEMO_FLEET.seed });
  say(`OEM simulator at ${simulator.url} with ${DEMO_FLEET.count} demo batteries`);
  return { url: simulator.url, stop: () => simulator.stop() };
}
