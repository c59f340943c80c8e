// Entry point for the rest of the platform: pick an adapter by OEM.
import { createFoxessAdapter } from "./foxess/adapter";
import { createGivenergyAdapter } from "./givenergy/adapter";
import { createSigenergyAdapter } from "./sigenergy/adapter";
import { createSolisAdapter } from "./solis/adapter";
import { OemUnsupportedError } from "./errors";
import type {
  BatterySchedule,
  BatteryState,
  Oem,
  OemAdapter,
  OemAdapterConfig,
  OemCredential,
  OemOauthFlow,
  OperationMode,
  RefreshedAccessToken,
  SetOperationModeOptions,
} from "./types";

export * from "./errors";
export * from "./types";
export { FOXESS_DEFAULT_RATE_LIMIT } from "./foxess/adapter";
export { GIVENERGY_DEFAULT_RATE_LIMIT } from "./givenergy/adapter";
export { SIGENERGY_DEFAULT_RATE_LIMIT } from "./sigenergy/adapter";
export { SOLIS_DEFAULT_RATE_LIMIT } from "./solis/adapter";

/** The real clouds' base URLs; configuration points them at the simulator in development and tests. */
export const OEM_DEFAULT_BASE_URLS: Record<Oem, string> = {
  foxess: "https://www.foxesscloud.com",
  givenergy: "https://api.givenergy.cloud/v1",
  sigenergy: "https://openapi-eu.sigencloud.com",
  solis: "https://www.soliscloud.com:13333",
};

export type AnyOemAdapter = OemAdapter<"foxess"> | OemAdapter<"givenergy"> | OemAdapter<"sigenergy"> | OemAdapter<"solis">;

export function createOemAdapter<O extends Oem>(oem: O, config: OemAdapterConfig): OemAdapter<O>;
export function createOemAdapter(oem: Oem, config: OemAdapterConfig): AnyOemAdapter {
  switch (oem) {
    case "foxess":
      return createFoxessAdapter(config);
    case "givenergy":
      return createGivenergyAdapter(config);
    case "sigenergy":
      return createSigenergyAdapter(config);
    case "solis":
      return createSolisAdapter(config);
    default: {
      const unreachable: never = oem;
      throw new Error(`unknown OEM ${String(unreachable)}`);
    }
  }
}

/** All four adapters behind one object that dispatches on the credential's OEM. */
export interface OemGateway {
  verifyCredential(credential: OemCredential): Promise<void>;
  readState(credential: OemCredential, deviceId: string): Promise<BatteryState>;
  setOperationMode(credential: OemCredential, deviceId: string, mode: OperationMode, options?: SetOperationModeOptions): Promise<void>;
  /** Throws OemUnsupportedError for an OEM without schedule writes. */
  writeSchedule(credential: OemCredential, deviceId: string, schedule: BatterySchedule): Promise<void>;
  supportsSchedules(oem: Oem): boolean;
  /**
   * Exchanges an OAuth refresh token with the OEM. Optional so hand-made gateways in tests
   * need not implement it; the built gateway throws OemUnsupportedError for an OEM without one.
   */
  refreshAccessToken?(oem: Oem, refreshToken: string): Promise<RefreshedAccessToken>;
  /** The OEM's authorization-code flow, or null where the OEM offers none. Optional as refreshAccessToken is. */
  oauthFlow?(oem: Oem): OemOauthFlow | null;
}

export function createOemGateway(configs: Record<Oem, OemAdapterConfig>): OemGateway {
  const adapters = {
    foxess: createFoxessAdapter(configs.foxess),
    givenergy: createGivenergyAdapter(configs.givenergy),
    sigenergy: createSigenergyAdapter(configs.sigenergy),
    solis: createSolisAdapter(configs.solis),
  };
  return {
    verifyCredential(credential) {
      switch (credential.oem) {
        case "foxess":
          return adapters.foxess.verifyCredential(credential);
        case "givenergy":
          return adapters.givenergy.verifyCredential(credential);
        case "sigenergy":
          return adapters.sigenergy.verifyCredential(credential);
        case "solis":
          return adapters.solis.verifyCredential(credential);
      }
    },
    readState(credential, deviceId) {
      switch (credential.oem) {
        case "foxess":
          return adapters.foxess.readState(credential, deviceId);
        case "givenergy":
          return adapters.givenergy.readState(credential, deviceId);
        case "sigenergy":
          return adapters.sigenergy.readState(credential, deviceId);
        case "solis":
          return adapters.solis.readState(credential, deviceId);
      }
    },
    setOperationMode(credential, deviceId, mode, options) {
      switch (credential.oem) {
        case "foxess":
          return adapters.foxess.setOperationMode(credential, deviceId, mode, options);
        case "givenergy":
          return adapters.givenergy.setOperationMode(credential, deviceId, mode, options);
        case "sigenergy":
          return adapters.sigenergy.setOperationMode(credential, deviceId, mode, options);
        case "solis":
          return adapters.solis.setOperationMode(credential, deviceId, mode, options);
      }
    },
    async writeSchedule(credential, deviceId, schedule) {
      switch (credential.oem) {
        case "foxess":
          return adapters.foxess.writeSchedule?.(credential, deviceId, schedule);
        case "givenergy":
          return adapters.givenergy.writeSchedule?.(credential, deviceId, schedule);
        case "solis":
          return adapters.solis.writeSchedule?.(credential, deviceId, schedule);
        case "sigenergy":
          throw new OemUnsupportedError("sigenergy", "schedules are set in the Sigenergy app; use TIME_OF_USE");
      }
    },
    supportsSchedules(oem) {
      return adapters[oem].writeSchedule !== undefined;
    },
    oauthFlow(oem) {
      return adapters[oem].oauth ?? null;
    },
    async refreshAccessToken(oem, refreshToken) {
      const refresh = adapters[oem].refreshAccessToken;
      if (!refresh) throw new OemUnsupportedError(oem, "no OAuth refresh endpoint; submit a new credential before it expires");
      return refresh(refreshToken);
    },
  };
}
