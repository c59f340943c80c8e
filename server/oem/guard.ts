// Limits around the OEM gateway so that one slow cloud or a few silent devices cannot hold every
// worker: a bounded number of requests in flight per OEM cloud, one per device, and a cooldown
// during which a device that stopped answering fails at once instead of being waited on again.
import { OemUnavailableError } from "./errors";
import type { OemGateway } from "./index";
import type { Oem, OemOauthFlow } from "./types";

export interface OemGuardLimits {
  /** Requests in flight per OEM cloud. */
  concurrency: number;
  /** How long a call waits for a free slot (its OEM's or its device's) before it gives up. */
  waitTimeoutMs: number;
  /** After a device did not answer (time-out, network error), calls to it fail at once for this long. */
  deviceCooldownMs: number;
}

/** A call that gave up waiting for a slot: the device or cloud may be fine, so no cooldown. */
class OemSlotBusyError extends OemUnavailableError {}

/** A counting semaphore whose waiters give up after a time-out. */
class Slots {
  private inUse = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly size: number) {}

  get busy(): boolean {
    return this.inUse >= this.size;
  }

  /** True when a slot was taken; false when none freed up within `timeoutMs`. */
  async take(timeoutMs: number): Promise<boolean> {
    if (this.inUse < this.size) {
      this.inUse += 1;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      const waiter = () => {
        clearTimeout(timer);
        this.inUse += 1;
        resolve(true);
      };
      const timer = setTimeout(() => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        resolve(false);
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  give(): void {
    this.inUse -= 1;
    const next = this.waiters.shift();
    if (next) next();
  }
}

export function guardOemGateway(inner: OemGateway, limits: OemGuardLimits, now: () => number = Date.now): OemGateway {
  const oemSlots = new Map<Oem, Slots>();
  const deviceSlots = new Map<string, Slots>();
  const coolingUntil = new Map<string, number>();

  async function withSlot<T>(slots: Slots, oem: Oem, what: string, call: () => Promise<T>): Promise<T> {
    if (!(await slots.take(limits.waitTimeoutMs))) throw new OemSlotBusyError(oem, `${what} stayed busy for ${limits.waitTimeoutMs} ms`);
    try {
      return await call();
    } finally {
      slots.give();
    }
  }

  function forOem<T>(oem: Oem, call: () => Promise<T>): Promise<T> {
    let slots = oemSlots.get(oem);
    if (!slots) oemSlots.set(oem, (slots = new Slots(limits.concurrency)));
    return withSlot(slots, oem, "the OEM cloud's request limit", call);
  }

  async function forDevice<T>(oem: Oem, deviceId: string, call: () => Promise<T>): Promise<T> {
    const key = `${oem}\u0000${deviceId}`;
    const until = coolingUntil.get(key);
    if (until !== undefined) {
      if (until > now()) throw new OemUnavailableError(oem, `the device did not answer recently; next try in ${Math.ceil((until - now()) / 1000)} s`);
      coolingUntil.delete(key);
    }
    let slots = deviceSlots.get(key);
    if (!slots) deviceSlots.set(key, (slots = new Slots(1)));
    try {
      return await withSlot(slots, oem, "the device", () => forOem(oem, call));
    } catch (e) {
      // No status: the cloud never answered (time-out or network error). A 5xx says the cloud is up.
      if (e instanceof OemUnavailableError && e.status === undefined && !(e instanceof OemSlotBusyError)) coolingUntil.set(key, now() + limits.deviceCooldownMs);
      throw e;
    } finally {
      // Forget idle devices so a large fleet does not keep one entry per device forever.
      if (!slots.busy) deviceSlots.delete(key);
    }
  }

  const refresh = inner.refreshAccessToken;
  const oauthFlow = inner.oauthFlow;
  return {
    verifyCredential: (credential) => forOem(credential.oem, () => inner.verifyCredential(credential)),
    readState: (credential, deviceId) => forDevice(credential.oem, deviceId, () => inner.readState(credential, deviceId)),
    setOperationMode: (credential, deviceId, mode, options) => forDevice(credential.oem, deviceId, () => inner.setOperationMode(credential, deviceId, mode, options)),
    writeSchedule: (credential, deviceId, schedule) => forDevice(credential.oem, deviceId, () => inner.writeSchedule(credential, deviceId, schedule)),
    supportsSchedules: (oem) => inner.supportsSchedules(oem),
    ...(refresh ? { refreshAccessToken: (oem: Oem, refreshToken: string) => forOem(oem, () => refresh.call(inner, oem, refreshToken)) } : {}),
    // The authorization URL is built locally; the code exchange goes through the OEM's slots.
    ...(oauthFlow
      ? {
          oauthFlow: (oem: Oem): OemOauthFlow | null => {
            const flow = oauthFlow.call(inner, oem);
            return flow && { authorizationUrl: (request) => flow.authorizationUrl(request), exchangeCode: (client, code, redirectUri) => forOem(oem, () => flow.exchangeCode(client, code, redirectUri)) };
          },
        }
      : {}),
  };
}
