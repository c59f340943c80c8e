// A charge point for tests: the npm library ocpp-rpc's RPCClient in strict mode, so every message
// either side sends is checked against the official OCPP schemas by code that is not ours. It behaves
// like a simple charger: it keeps the profiles it is given, reports them back as its composite
// schedule, and drops them when told to clear.
import { RPCClient } from "ocpp-rpc";

export type TestProtocol = "ocpp1.6" | "ocpp2.0.1";

export interface ReceivedCall {
  action: string;
  params: Record<string, unknown>;
}

export interface TestChargePoint {
  client: RPCClient;
  /** Every call the central system made to this charger, in order. */
  received: ReceivedCall[];
  /** Profiles in force, by profile id. */
  profiles: Map<number, Record<string, unknown>>;
  call(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  waitFor(action: string, count?: number, timeoutMs?: number): Promise<ReceivedCall>;
  close(): Promise<void>;
}

export interface TestChargePointOptions {
  port: number;
  identity: string;
  password: string;
  protocol: TestProtocol;
  /** Answer to SetChargingProfile; default Accepted. */
  profileAnswer?: "Accepted" | "Rejected";
}

function profileIdOf(protocol: TestProtocol, params: Record<string, unknown>): number {
  return protocol === "ocpp1.6"
    ? Number((params.csChargingProfiles as { chargingProfileId: number }).chargingProfileId)
    : Number((params.chargingProfile as { id: number }).id);
}

function scheduleOf(protocol: TestProtocol, profile: Record<string, unknown>): Record<string, unknown> {
  return protocol === "ocpp1.6"
    ? ((profile.csChargingProfiles as { chargingSchedule: Record<string, unknown> }).chargingSchedule)
    : ((profile.chargingProfile as { chargingSchedule: Record<string, unknown>[] }).chargingSchedule[0] ?? {});
}

/** Connects (rejects with the HTTP status as `code` when refused before the upgrade). */
export async function connectTestChargePoint(options: TestChargePointOptions): Promise<TestChargePoint> {
  const client = new RPCClient({
    endpoint: `ws://127.0.0.1:${options.port}/ocpp`,
    identity: options.identity,
    password: options.password,
    protocols: [options.protocol],
    strictMode: true,
    reconnect: false,
  } as never);
  const received: ReceivedCall[] = [];
  const profiles = new Map<number, Record<string, unknown>>();
  const waiters: (() => void)[] = [];
  const record = (action: string, params: Record<string, unknown>) => {
    received.push({ action, params });
    waiters.splice(0).forEach((wake) => wake());
  };
  client.handle("SetChargingProfile", async ({ params = {} }) => {
    record("SetChargingProfile", params);
    const answer = options.profileAnswer ?? "Accepted";
    if (answer === "Accepted") profiles.set(profileIdOf(options.protocol, params), params);
    return { status: answer };
  });
  client.handle("ClearChargingProfile", async ({ params = {} }) => {
    record("ClearChargingProfile", params);
    const id = Number(options.protocol === "ocpp1.6" ? params.id : params.chargingProfileId);
    return { status: profiles.delete(id) ? "Accepted" : "Unknown" };
  });
  client.handle("GetCompositeSchedule", async ({ params = {} }) => {
    record("GetCompositeSchedule", params);
    const [profile] = [...profiles.values()];
    if (profile === undefined) return { status: "Rejected" };
    const schedule = scheduleOf(options.protocol, profile);
    if (options.protocol === "ocpp1.6") {
      return { status: "Accepted", connectorId: params.connectorId, scheduleStart: schedule.startSchedule, chargingSchedule: schedule };
    }
    return {
      status: "Accepted",
      schedule: {
        evseId: params.evseId,
        duration: schedule.duration,
        scheduleStart: schedule.startSchedule,
        chargingRateUnit: schedule.chargingRateUnit,
        chargingSchedulePeriod: schedule.chargingSchedulePeriod,
      },
    };
  });
  client.handle("TriggerMessage", async ({ params = {} }) => {
    record("TriggerMessage", params);
    return { status: "Accepted" };
  });
  await client.connect();
  return {
    client,
    received,
    profiles,
    call: async (action, params) => (await client.call(action, params)) as Record<string, unknown>,
    waitFor: async (action, count = 1, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = received.filter((call) => call.action === action);
        const found = matching[count - 1];
        if (found !== undefined) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${action} #${count} within ${timeoutMs} ms (received: ${received.map((c) => c.action).join(", ") || "nothing"})`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: async () => {
      await client.close({ force: true });
    },
  };
}

/** Polls `check` until it returns a value that is not undefined (database state written by another process or socket). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
