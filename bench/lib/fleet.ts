// What the fleet benchmarks (grid-event-dispatch, fleet-worker) share: the simulated battery they
// run a fleet of, and the turn-down grid event that needs every one of them.
import type { ServiceContext } from "@/server/services/context";
import type { CreateDeviceInput } from "@/simulator/index";

const OEMS = ["foxess", "givenergy", "solis", "sigenergy"] as const;

/**
 * `count` batteries, a quarter per OEM, each the same battery as the grid-event tests: 10 kWh at
 * 80 % above a 10 % floor, 5 kW, no solar. `keyPrefix` keeps their keys apart from other runs'.
 */
export function fleetDevices(count: number, keyPrefix: string): CreateDeviceInput[] {
  return Array.from({ length: count }, (_, i) => ({
    oem: OEMS[i % OEMS.length] ?? "foxess",
    key: `${keyPrefix}-${i}`,
    socPct: 80,
    capacityKwh: 10,
    ratedPowerKw: 5,
    dischargeFloorPct: 10,
    solarKwp: 0,
  }));
}

/**
 * A full_asset_control turn-down half an hour ahead for 30 minutes, asking 3 kW of each of
 * `batteries`: every battery is needed, so every one takes part. Services are imported here, after
 * startBenchEnvironment has set the environment they read as they load.
 */
export async function createFleetTurnDown(ctx: ServiceContext, batteries: number, name: string) {
  const { createGridEvent } = await import("@/server/services/grid-events/index");
  const { futureWindow } = await import("@/server/services/grid-events/test-support");
  return createGridEvent(ctx, {
    name,
    direction: "turn_down",
    ...futureWindow(0.5, 30),
    targetKw: batteries * 3,
    priceGbpPerMwh: 250,
    propositions: ["full_asset_control"],
  });
}
