// The simulator's direct charge points: chargers that connect to a central system over OCPP-J
// themselves (no partner platform in between), driven by the simulator's clock and car patterns.
import { SimulatedChargePoint, type ChargePointSnapshot, type ChargePointSpec, type PlugInOptions } from "./charge-point";

export type { ChargePointSnapshot, ChargePointSpec, PlugInOptions } from "./charge-point";
export type { OcppVersion } from "./messages";

export interface ChargePointFleetOptions {
  /** The central system's WebSocket base; each charge point connects to `<url>/<id>` (e.g. ws://127.0.0.1:3000/ocpp). */
  centralSystemUrl: string;
  chargePoints?: ChargePointSpec[];
  /** Follow the daily plug-in pattern. Default true; per charge point overridable. */
  autoPlug?: boolean;
  /** Real ms between pattern steps. 0 disables the timer (tests call tick()). Default 5000. */
  tickMs?: number;
  /** Real ms between meter values during a transaction. Default 60000. */
  meterValueIntervalMs?: number;
  /** Real ms between heartbeats; default the interval the central system answers at boot. */
  heartbeatIntervalMs?: number;
  /** Real ms before reconnecting after a drop or a refused connection. Default 5000. */
  reconnectDelayMs?: number;
  /** Real ms an OCPP call may take. Default 30000. */
  callTimeoutMs?: number;
}

export class ChargePointFleet {
  private readonly chargePoints = new Map<string, SimulatedChargePoint>();
  private timer: NodeJS.Timeout | null = null;
  private started = false;

  constructor(
    private readonly options: ChargePointFleetOptions,
    private readonly simNowMs: () => number,
  ) {
    for (const spec of options.chargePoints ?? []) this.create(spec);
  }

  /** Connects every charge point and starts the pattern timer; resolves once each has tried once. */
  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.chargePoints.values()].map((cp) => cp.start()));
    const tickMs = this.options.tickMs ?? 5000;
    if (tickMs > 0 && !this.timer) {
      this.timer = setInterval(() => void this.tick(), tickMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.chargePoints.values()].map((cp) => cp.stop()));
  }

  /** Adds a charge point; it connects at once when the fleet is running. */
  async add(spec: ChargePointSpec): Promise<ChargePointSnapshot> {
    const chargePoint = this.create(spec);
    if (this.started) await chargePoint.start();
    return chargePoint.snapshot();
  }

  list(): ChargePointSnapshot[] {
    return [...this.chargePoints.values()].map((cp) => cp.snapshot());
  }

  get(id: string): ChargePointSnapshot | null {
    return this.chargePoints.get(id)?.snapshot() ?? null;
  }

  plugIn(id: string, options: PlugInOptions = {}): Promise<void> {
    return this.require(id).plugIn(options);
  }

  plugOut(id: string): Promise<void> {
    return this.require(id).plugOut();
  }

  /** Drops one charge point's connection now (it reconnects after the reconnect delay). */
  drop(id: string): Promise<void> {
    return this.require(id).drop();
  }

  async tick(): Promise<void> {
    await Promise.all([...this.chargePoints.values()].map((cp) => cp.tick()));
  }

  private create(spec: ChargePointSpec): SimulatedChargePoint {
    if (this.chargePoints.has(spec.id)) throw new Error(`charge point ${spec.id} exists already`);
    const chargePoint = new SimulatedChargePoint(
      spec,
      this.options.centralSystemUrl,
      this.simNowMs,
      {
        meterValueIntervalMs: this.options.meterValueIntervalMs ?? 60_000,
        heartbeatIntervalMs: this.options.heartbeatIntervalMs ?? null,
        reconnectDelayMs: this.options.reconnectDelayMs ?? 5000,
        callTimeoutMs: this.options.callTimeoutMs ?? 30_000,
      },
      this.options.autoPlug ?? true,
    );
    this.chargePoints.set(spec.id, chargePoint);
    return chargePoint;
  }

  private require(id: string): SimulatedChargePoint {
    const chargePoint = this.chargePoints.get(id);
    if (!chargePoint) throw new Error(`unknown simulated charge point ${id}`);
    return chargePoint;
  }
}
