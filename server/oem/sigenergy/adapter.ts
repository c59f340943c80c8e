import { OemHttpClient, resolveHttpConfig } from "../http";
import type { BatteryState, OemAdapter, OemAdapterConfig } from "../types";
import { SigenergyClient } from "./client";
import { sigenergyModeForOperationMode, sigenergyStateFromReadings } from "./transform";

export const SIGENERGY_DEFAULT_RATE_LIMIT = { requestsPerSecond: 5, burst: 5 };

/** Sigenergy has no schedule write in its OpenAPI: TIME_OF_USE runs the plan set in the app. */
export function createSigenergyAdapter(config: OemAdapterConfig): OemAdapter<"sigenergy"> {
  const client = new SigenergyClient(new OemHttpClient("sigenergy", resolveHttpConfig(config, SIGENERGY_DEFAULT_RATE_LIMIT)));
  return {
    oem: "sigenergy",
    async verifyCredential(credential) {
      await client.listSystems(credential);
    },
    async readState(credential, systemId): Promise<BatteryState> {
      const [telemetry, settings] = await Promise.all([client.telemetry(credential, systemId), client.settings(credential, systemId)]);
      return sigenergyStateFromReadings(telemetry, settings, new Date());
    },
    async setOperationMode(credential, systemId, mode, options) {
      await client.updateSettings(credential, systemId, {
        energyStorageOperationMode: sigenergyModeForOperationMode(mode),
        ...(options?.dischargeFloorPct !== undefined ? { dischargeCutOffSoc: options.dischargeFloorPct } : {}),
      });
    },
  };
}
