import { OemUnsupportedError } from "../errors";
import { credentialFingerprint, OemHttpClient, resolveHttpConfig } from "../http";
import type { BatteryState, CredentialFor, OemAdapter, OemAdapterConfig } from "../types";
import { OauthTokenClient } from "../oauth";
import { GivenergyClient } from "./client";
import {
  GIVENERGY_SETTINGS,
  givenergyStateFromReadings,
  givenergyWritesForMode,
  givenergyWritesForSchedule,
  type GivenergySettingKey,
  type GivenergySettingValue,
} from "./transform";

export const GIVENERGY_DEFAULT_RATE_LIMIT = { requestsPerSecond: 10, burst: 10 };
const MAX_CACHED_INVERTERS = 10_000;

export function createGivenergyAdapter(config: OemAdapterConfig): OemAdapter<"givenergy"> {
  const http = new OemHttpClient("givenergy", resolveHttpConfig(config, GIVENERGY_DEFAULT_RATE_LIMIT));
  const client = new GivenergyClient(http);
  const oauth = new OauthTokenClient(http);
  // Setting ids differ between inverter families; they are discovered once per inverter.
  const settingIds = new Map<string, Record<GivenergySettingKey, number>>();

  async function idsFor(credential: CredentialFor<"givenergy">, serial: string): Promise<Record<GivenergySettingKey, number>> {
    const cacheKey = `${credentialFingerprint(credential.apiKey)}:${serial}`;
    const cached = settingIds.get(cacheKey);
    if (cached) return cached;
    const listed = await client.listSettings(credential, serial);
    const ids = {} as Record<GivenergySettingKey, number>;
    for (const [key, name] of Object.entries(GIVENERGY_SETTINGS) as Array<[GivenergySettingKey, string]>) {
      const match = listed.find((s) => s.name.toLowerCase() === name.toLowerCase());
      if (!match) throw new OemUnsupportedError("givenergy", `inverter has no "${name}" setting`);
      ids[key] = match.id;
    }
    if (settingIds.size >= MAX_CACHED_INVERTERS) settingIds.clear();
    settingIds.set(cacheKey, ids);
    return ids;
  }

  async function write(credential: CredentialFor<"givenergy">, serial: string, writes: Array<[GivenergySettingKey, GivenergySettingValue]>) {
    const ids = await idsFor(credential, serial);
    // In order: each write lands on the inverter in sequence.
    for (const [key, value] of writes) await client.writeSetting(credential, serial, ids[key], value);
  }

  return {
    oem: "givenergy",
    async verifyCredential(credential) {
      await client.account(credential);
    },
    async readState(credential, serial): Promise<BatteryState> {
      const ids = await idsFor(credential, serial);
      const read = async (key: GivenergySettingKey) => client.readSetting(credential, serial, ids[key]);
      const [data, eco, acEnable, dcEnable, reserve] = await Promise.all([
        client.latestSystemData(credential, serial),
        read("ecoMode"),
        read("acChargeEnable"),
        read("dischargeEnable"),
        read("reserve"),
      ]);
      const acChargeEnable = acEnable === true;
      const dischargeEnable = dcEnable === true;
      const [acStart, acEnd, dcStart, dcEnd] = await Promise.all([
        acChargeEnable ? read("acChargeStart") : null,
        acChargeEnable ? read("acChargeEnd") : null,
        dischargeEnable ? read("dischargeStart") : null,
        dischargeEnable ? read("dischargeEnd") : null,
      ]);
      return givenergyStateFromReadings(
        data,
        {
          ecoMode: eco === true,
          acChargeEnable,
          dischargeEnable,
          ...(typeof acStart === "string" ? { acChargeStart: acStart } : {}),
          ...(typeof acEnd === "string" ? { acChargeEnd: acEnd } : {}),
          ...(typeof dcStart === "string" ? { dischargeStart: dcStart } : {}),
          ...(typeof dcEnd === "string" ? { dischargeEnd: dcEnd } : {}),
          reservePct: typeof reserve === "number" ? reserve : Number(reserve ?? 0),
        },
        new Date(),
      );
    },
    async setOperationMode(credential, serial, mode, options) {
      const writes = givenergyWritesForMode(mode, options?.schedule);
      if (options?.dischargeFloorPct !== undefined) writes.unshift(["reserve", Math.round(options.dischargeFloorPct)]);
      await write(credential, serial, writes);
    },
    async writeSchedule(credential, serial, schedule) {
      await write(credential, serial, givenergyWritesForSchedule(schedule));
    },
    refreshAccessToken(refreshToken) {
      return oauth.refresh(refreshToken);
    },
    oauth: {
      authorizationUrl: (request) => oauth.authorizationUrl(request),
      exchangeCode: (registration, code, redirectUri) => oauth.exchangeCode(registration, code, redirectUri),
    },
  };
}
