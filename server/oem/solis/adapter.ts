import { OemHttpClient, resolveHttpConfig } from "../http";
import type { BatteryState, OemAdapter, OemAdapterConfig } from "../types";
import { SolisClient } from "./client";
import { SOLIS_CID, SOLIS_MODE_BITS, solisControlsForMode, solisControlsForSchedule, solisStateFromReadings } from "./transform";

/** SolisCloud allows about two calls per second per key. */
export const SOLIS_DEFAULT_RATE_LIMIT = { requestsPerSecond: 2, burst: 2 };

export function createSolisAdapter(config: OemAdapterConfig): OemAdapter<"solis"> {
  const client = new SolisClient(new OemHttpClient("solis", resolveHttpConfig(config, SOLIS_DEFAULT_RATE_LIMIT)));
  return {
    oem: "solis",
    async verifyCredential(credential) {
      await client.listInverters(credential);
    },
    async readState(credential, serial): Promise<BatteryState> {
      const [detail, storageModeText, reserveText] = await Promise.all([
        client.inverterDetail(credential, serial),
        client.readCid(credential, serial, SOLIS_CID.storageMode),
        client.readCid(credential, serial, SOLIS_CID.reserveSoc),
      ]);
      const storageMode = Number(storageModeText);
      // Slots only matter in time-of-use; skip two calls otherwise.
      const touOn = (storageMode & SOLIS_MODE_BITS.timeOfUse) !== 0;
      const [chargeSlot, dischargeSlot] = touOn
        ? await Promise.all([client.readCid(credential, serial, SOLIS_CID.chargeSlot1), client.readCid(credential, serial, SOLIS_CID.dischargeSlot1)])
        : [undefined, undefined];
      return solisStateFromReadings(
        detail,
        {
          storageMode,
          reserveSocPct: Number(reserveText),
          ...(chargeSlot !== undefined ? { chargeSlot } : {}),
          ...(dischargeSlot !== undefined ? { dischargeSlot } : {}),
        },
        new Date(),
      );
    },
    async setOperationMode(credential, serial, mode, options) {
      const controls = solisControlsForMode(mode, options?.schedule);
      if (options?.dischargeFloorPct !== undefined) controls.unshift([SOLIS_CID.reserveSoc, String(Math.round(options.dischargeFloorPct))]);
      for (const [cid, value] of controls) await client.control(credential, serial, cid, value);
    },
    async writeSchedule(credential, serial, schedule) {
      for (const [cid, value] of solisControlsForSchedule(schedule)) await client.control(credential, serial, cid, value);
    },
  };
}
