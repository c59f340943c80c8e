// `npm run simulator`: the OEM clouds on SIMULATOR_PORT (default 4100) with the demo fleet live.
import { startSimulator, type ChargerPlatformOptions } from "./index";

function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${raw}"`);
  return value;
}

/**
 * The partner's charger platform is on when a signing secret is given. Chargers come from
 * SIMULATOR_CHARGERS ("id=assetUuid,id=assetUuid"); events and readings go to the platform only
 * when its URL and an API client are configured too.
 */
function chargerPlatformFromEnv(): { chargerPlatform?: ChargerPlatformOptions } {
  const signingSecret = process.env.SIMULATOR_CHARGER_SIGNING_SECRET;
  if (!signingSecret) return {};
  const chargers = (process.env.SIMULATOR_CHARGERS ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const [id = "", assetId] = entry.split("=");
      return assetId ? { id, assetId } : { id };
    });
  const platformBaseUrl = process.env.SIMULATOR_PLATFORM_URL;
  const clientId = process.env.SIMULATOR_PLATFORM_CLIENT_ID;
  const clientSecret = process.env.SIMULATOR_PLATFORM_CLIENT_SECRET;
  return {
    chargerPlatform: {
      signingSecret,
      chargers,
      ...(platformBaseUrl ? { platformBaseUrl } : {}),
      ...(clientId ? { clientId } : {}),
      ...(clientSecret ? { clientSecret } : {}),
    },
  };
}

async function main(): Promise<void> {
  const fleetSize = numberFromEnv("SIMULATOR_FLEET_SIZE", 36);
  const fleetSeed = numberFromEnv("SIMULATOR_SEED", 1);
  const simulator = await startSimulator({
    port: numberFromEnv("SIMULATOR_PORT", 4100),
    host: process.env.SIMULATOR_HOST ?? "127.0.0.1",
    seed: fleetSeed,
    timeScale: numberFromEnv("SIMULATOR_TIME_SCALE", 1),
    modeChangeDelayMs: numberFromEnv("SIMULATOR_MODE_CHANGE_DELAY_MS", 5000),
    faults: { errorRate: numberFromEnv("SIMULATOR_ERROR_RATE", 0) },
    ...(fleetSize > 0 ? { fleet: { count: fleetSize, seed: fleetSeed } } : {}),
    ...chargerPlatformFromEnv(),
  });
  console.log(`OEM cloud simulator listening on ${simulator.url} (${fleetSize} demo batteries, seed ${fleetSeed})`);
  for (const [oem, baseUrl] of Object.entries(simulator.baseUrls)) console.log(`  ${oem.padEnd(10)} ${baseUrl}`);
  console.log(`  admin      ${simulator.url}/_sim/devices`);
  if (simulator.scheduleEndpointUrl) console.log(`  chargers   ${simulator.scheduleEndpointUrl} (admin ${simulator.url}/charger-platform/_sim/chargers)`);
  const shutdown = (): void => {
    void simulator.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
