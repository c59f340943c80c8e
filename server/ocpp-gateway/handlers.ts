// The charge point's calls, per protocol version. ocpp-rpc has already checked each request against
// the official schema (strict mode) and checks each reply too; a call without a handler is answered
// NotImplemented. Handlers translate (server/ocpp) and call one service each; errors become an
// InternalError CALLERROR without details.
import {
  bootNotificationResponse,
  connectorKey,
  energyRegisterReadings,
  heartbeatResponse,
  transactionEventMeaning,
} from "@/server/ocpp";
import {
  recordBootNotification,
  recordConnectorStatus,
  recordEvChargingNeeds,
  recordHeartbeat,
  recordMeterReadings,
  recordTransactionEvent,
  startTransaction,
  stopTransaction,
} from "@/server/services/ocpp";
import { log } from "@/server/log";
import type { LiveConnection } from "./gateway";

export interface HandlerOptions {
  clock: () => Date;
  heartbeatIntervalSeconds: number;
  /** Called once a reply that may unblock commands (boot, a transaction started) has gone out. */
  afterReply: () => void;
}

type Params = Record<string, unknown>;

const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const date = (value: unknown): Date | undefined => (typeof value === "string" ? new Date(value) : undefined);

/** Runs `afterReply` once the reply has been sent (ocpp-rpc sends it when the handler's promise settles). */
function thenFlush<T>(value: T, options: HandlerOptions): T {
  setImmediate(options.afterReply);
  return value;
}

export function registerHandlers(connection: LiveConnection, options: HandlerOptions): void {
  const { client, ctx, chargePoint, version } = connection;
  const now = options.clock;
  const on = (action: string, handler: (params: Params) => Promise<Record<string, unknown>>) => {
    client.handle(action, async ({ params }) => {
      await connection.registered;
      try {
        return await handler(params);
      } catch (error) {
        log.error({ err: error, chargePoint: chargePoint.chargePointId, action }, "ocpp call failed");
        throw error;
      }
    });
  };
  const id = chargePoint.id;

  on("Heartbeat", async () => {
    const at = now();
    await recordHeartbeat(ctx, { chargePointRowId: id, now: at });
    return heartbeatResponse(at);
  });

  on("BootNotification", async (params) => {
    const at = now();
    const station = (params.chargingStation ?? {}) as Params;
    const boot =
      version === "1.6"
        ? { vendor: str(params.chargePointVendor) ?? "", model: str(params.chargePointModel) ?? "", firmwareVersion: str(params.firmwareVersion), serialNumber: str(params.chargePointSerialNumber) }
        : { vendor: str(station.vendorName) ?? "", model: str(station.model) ?? "", firmwareVersion: str(station.firmwareVersion), serialNumber: str(station.serialNumber) };
    await recordBootNotification(ctx, { chargePointRowId: id, boot, now: at });
    return thenFlush(bootNotificationResponse(at, options.heartbeatIntervalSeconds), options);
  });

  on("StatusNotification", async (params) => {
    const connector = version === "1.6" ? connectorKey(num(params.connectorId) ?? 0) : connectorKey(num(params.evseId) ?? 0, num(params.connectorId));
    const status = str(version === "1.6" ? params.status : params.connectorStatus) ?? "";
    const evseOrConnector = version === "1.6" ? num(params.connectorId) : num(params.evseId);
    await recordConnectorStatus(ctx, {
      chargePointRowId: id,
      version,
      // The whole charge point (connector / EVSE 0) never moves a session.
      connector: evseOrConnector === 0 ? "0" : connector,
      status,
      errorCode: str(params.errorCode),
      reportedAt: date(params.timestamp),
      now: now(),
    });
    return {};
  });

  on("MeterValues", async (params) => {
    await recordMeterReadings(ctx, { chargePointRowId: id, readings: energyRegisterReadings(params.meterValue), now: now() });
    return {};
  });

  // The platform is not an authorisation server: every token may charge; the plan decides when.
  on("Authorize", async () => (version === "1.6" ? { idTagInfo: { status: "Accepted" } } : { idTokenInfo: { status: "Accepted" } }));

  if (version === "1.6") {
    on("StartTransaction", async (params) => {
      const result = await startTransaction(ctx, {
        chargePointRowId: id,
        connectorId: num(params.connectorId) ?? 1,
        meterStartWh: num(params.meterStart) ?? 0,
        reportedAt: date(params.timestamp),
        now: now(),
      });
      return thenFlush({ idTagInfo: { status: "Accepted" }, transactionId: result.transactionId }, options);
    });
    on("StopTransaction", async (params) => {
      await stopTransaction(ctx, {
        chargePointRowId: id,
        transactionId: num(params.transactionId) ?? -1,
        meterStopWh: num(params.meterStop) ?? 0,
        readings: energyRegisterReadings(params.transactionData),
        reportedAt: date(params.timestamp),
        now: now(),
      });
      return { idTagInfo: { status: "Accepted" } };
    });
    on("DataTransfer", async () => ({ status: "UnknownVendorId" }));
    on("DiagnosticsStatusNotification", async () => ({}));
    on("FirmwareStatusNotification", async () => ({}));
    return;
  }

  on("TransactionEvent", async (params) => {
    const event = transactionEventMeaning(params as Parameters<typeof transactionEventMeaning>[0]);
    await recordTransactionEvent(ctx, { chargePointRowId: id, event, now: now() });
    return event.phase === "ended" ? {} : thenFlush({}, options);
  });
  on("NotifyEVChargingNeeds", async (params) => {
    const needs = (params.chargingNeeds ?? {}) as Params;
    const ac = (needs.acChargingParameters ?? {}) as Params;
    const dc = (needs.dcChargingParameters ?? {}) as Params;
    return recordEvChargingNeeds(ctx, {
      chargePointRowId: id,
      energyAmountWh: num(ac.energyAmount) ?? num(dc.energyAmount),
      departureTime: date(needs.departureTime),
      now: now(),
    });
  });
  on("NotifyEvent", async () => ({}));
  on("NotifyReport", async () => ({}));
  on("SecurityEventNotification", async () => ({}));
  on("FirmwareStatusNotification", async () => ({}));
  on("LogStatusNotification", async () => ({}));
}
