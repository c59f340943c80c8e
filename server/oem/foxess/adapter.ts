import { OemHttpClient, resolveHttpConfig } from "../http";
import type { BatterySchedule, BatteryState, CredentialFor, OemAdapter, OemAdapterConfig, OperationMode, SetOperationModeOptions } from "../types";
import { OauthTokenClient } from "../oauth";
import { FoxessClient } from "./client";
import { FOXESS_VARIABLES, foxessCommandForMode, foxessGroupsForSchedule, foxessStateFromReadings } from "./transform";

/** FoxESS allows about one call per second per path and API key. */
export const FOXESS_DEFAULT_RATE_LIMIT = { requestsPerSecond: 1, burst: 1 };

export function createFoxessAdapter(config: OemAdapterConfig): OemAdapter<"foxess"> {
  const http = new OemHttpClient("foxess", resolveHttpConfig(config, FOXESS_DEFAULT_RATE_LIMIT));
  const client = new FoxessClient(http);
  // An OAuth access token is sent and signed exactly like an API key.
  const oauth = new OauthTokenClient(http);

  async function floorOf(credential: CredentialFor<"foxess">, serial: string, requested: number | undefined): Promise<number> {
    if (requested === undefined) return (await client.getMinSoc(credential, serial)).minSocOnGrid;
    const current = await client.getMinSoc(credential, serial);
    if (current.minSocOnGrid !== requested) await client.setMinSoc(credential, serial, Math.max(current.minSoc, 10), requested);
    return requested;
  }

  return {
    oem: "foxess",
    refreshAccessToken(refreshToken) {
      return oauth.refresh(refreshToken);
    },
    oauth: {
      authorizationUrl: (request) => oauth.authorizationUrl(request),
      exchangeCode: (registration, code, redirectUri) => oauth.exchangeCode(registration, code, redirectUri),
    },
    async verifyCredential(credential) {
      await client.listDevices(credential);
    },
    async readState(credential, serial): Promise<BatteryState> {
      const [real, scheduler, soc] = await Promise.all([
        client.realTime(credential, serial, FOXESS_VARIABLES),
        client.getScheduler(credential, serial),
        client.getMinSoc(credential, serial),
      ]);
      return foxessStateFromReadings(real, scheduler, soc.minSocOnGrid, new Date());
    },
    async setOperationMode(credential, serial, mode: OperationMode, options?: SetOperationModeOptions) {
      const floor = await floorOf(credential, serial, options?.dischargeFloorPct);
      const command = foxessCommandForMode(mode, floor, options?.schedule);
      if (command.kind === "scheduler_off") await client.setSchedulerFlag(credential, serial, false);
      else await client.enableScheduler(credential, serial, command.groups);
    },
    async writeSchedule(credential, serial, schedule: BatterySchedule) {
      const floor = await floorOf(credential, serial, undefined);
      await client.enableScheduler(credential, serial, foxessGroupsForSchedule(schedule, floor));
    },
  };
}
