// The OCPP-J payloads a simulated charge point sends, per protocol version. Pure: plain data in,
// request bodies out. The field names and enums follow the official 1.6 and 2.0.1 JSON schemas
// (the RPC client validates every message against them in strict mode).

export type OcppVersion = "1.6" | "2.0.1";

/** The WebSocket subprotocol each version negotiates. */
export const SUBPROTOCOL: Record<OcppVersion, string> = { "1.6": "ocpp1.6", "2.0.1": "ocpp2.0.1" };

export interface Identity {
  vendor: string;
  model: string;
  serialNumber: string;
  firmwareVersion: string;
}

/** What the connector is doing, in the simulator's own terms; each version spells it differently. */
export type ConnectorState = "available" | "plugged" | "charging" | "suspended_by_charger" | "suspended_by_vehicle";

export interface MeterSample {
  timestampMs: number;
  /** The connector's energy register. */
  registerWh: number;
  powerW: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function bootNotification(version: OcppVersion, identity: Identity): Record<string, unknown> {
  if (version === "1.6") {
    return {
      chargePointVendor: identity.vendor,
      chargePointModel: identity.model,
      chargePointSerialNumber: identity.serialNumber,
      firmwareVersion: identity.firmwareVersion,
    };
  }
  return {
    reason: "PowerUp",
    chargingStation: { vendorName: identity.vendor, model: identity.model, serialNumber: identity.serialNumber, firmwareVersion: identity.firmwareVersion },
  };
}

const STATUS_16: Record<ConnectorState, string> = {
  available: "Available",
  plugged: "Preparing",
  charging: "Charging",
  suspended_by_charger: "SuspendedEVSE",
  suspended_by_vehicle: "SuspendedEV",
};

export function statusNotification(version: OcppVersion, connectorId: number, state: ConnectorState, nowMs: number): Record<string, unknown> {
  if (version === "1.6") return { connectorId, errorCode: "NoError", status: STATUS_16[state], timestamp: iso(nowMs) };
  // 2.0.1 reports only whether something is plugged in; charging or not goes in the transaction's chargingState.
  return { timestamp: iso(nowMs), connectorStatus: state === "available" ? "Available" : "Occupied", evseId: connectorId, connectorId: 1 };
}

const CHARGING_STATE_201: Record<ConnectorState, string> = {
  available: "Idle",
  plugged: "EVConnected",
  charging: "Charging",
  suspended_by_charger: "SuspendedEVSE",
  suspended_by_vehicle: "SuspendedEV",
};

function sampledValues16(sample: MeterSample): Record<string, unknown> {
  return {
    timestamp: iso(sample.timestampMs),
    sampledValue: [
      { value: String(Math.round(sample.registerWh)), context: "Sample.Periodic", measurand: "Energy.Active.Import.Register", unit: "Wh" },
      { value: String(Math.round(sample.powerW)), context: "Sample.Periodic", measurand: "Power.Active.Import", unit: "W" },
    ],
  };
}

function sampledValues201(sample: MeterSample, context: string): Record<string, unknown> {
  return {
    timestamp: iso(sample.timestampMs),
    sampledValue: [
      { value: Math.round(sample.registerWh), context, measurand: "Energy.Active.Import.Register", unitOfMeasure: { unit: "Wh" } },
      { value: Math.round(sample.powerW), context, measurand: "Power.Active.Import", unitOfMeasure: { unit: "W" } },
    ],
  };
}

/** 1.6 StartTransaction (the central system answers the transaction id). */
export function startTransaction16(connectorId: number, idTag: string, meterStartWh: number, nowMs: number): Record<string, unknown> {
  return { connectorId, idTag, meterStart: Math.round(meterStartWh), timestamp: iso(nowMs) };
}

export function stopTransaction16(transactionId: number, idTag: string, meterStopWh: number, nowMs: number): Record<string, unknown> {
  return { transactionId, idTag, meterStop: Math.round(meterStopWh), timestamp: iso(nowMs), reason: "EVDisconnected" };
}

export function meterValues16(connectorId: number, transactionId: number | null, sample: MeterSample): Record<string, unknown> {
  return { connectorId, ...(transactionId === null ? {} : { transactionId }), meterValue: [sampledValues16(sample)] };
}

export interface TransactionEvent201 {
  eventType: "Started" | "Updated" | "Ended";
  transactionId: string;
  seqNo: number;
  connectorId: number;
  state: ConnectorState;
  idToken: string;
  sample: MeterSample;
}

/** 2.0.1 TransactionEvent: Started on plug-in, Updated with periodic meter values, Ended on plug-out. */
export function transactionEvent201(event: TransactionEvent201): Record<string, unknown> {
  const triggerReason = event.eventType === "Started" ? "CablePluggedIn" : event.eventType === "Ended" ? "EVCommunicationLost" : "MeterValuePeriodic";
  const context = event.eventType === "Started" ? "Transaction.Begin" : event.eventType === "Ended" ? "Transaction.End" : "Sample.Periodic";
  return {
    eventType: event.eventType,
    timestamp: iso(event.sample.timestampMs),
    triggerReason,
    seqNo: event.seqNo,
    transactionInfo: {
      transactionId: event.transactionId,
      chargingState: event.eventType === "Ended" ? "Idle" : CHARGING_STATE_201[event.state],
      ...(event.eventType === "Ended" ? { stoppedReason: "EVDisconnected" } : {}),
    },
    ...(event.eventType === "Started" ? { evse: { id: event.connectorId, connectorId: 1 }, idToken: { idToken: event.idToken, type: "Central" } } : {}),
    meterValue: [sampledValues201(event.sample, context)],
  };
}

export interface CompositePeriod {
  /** Seconds from the schedule's start. */
  startPeriod: number;
  limitW: number;
}

/**
 * GetCompositeSchedule's answer: the limits the charger will apply from `startMs` for `durationSeconds`,
 * in W, or in A (per phase, three phases at 230 V) when that unit was asked for.
 */
export function compositeScheduleResponse(
  version: OcppVersion,
  connectorId: number,
  startMs: number,
  durationSeconds: number,
  periods: readonly CompositePeriod[],
  unit: "W" | "A",
): Record<string, unknown> {
  // 1.6 limits are multiples of 0.1.
  const limit = (watts: number): number => Math.round((unit === "W" ? watts : watts / (230 * 3)) * 10) / 10;
  const chargingSchedulePeriod = periods.map((p) => ({ startPeriod: p.startPeriod, limit: limit(p.limitW), ...(unit === "A" ? { numberPhases: 3 } : {}) }));
  if (version === "1.6") {
    return {
      status: "Accepted",
      connectorId,
      scheduleStart: iso(startMs),
      chargingSchedule: { duration: durationSeconds, startSchedule: iso(startMs), chargingRateUnit: unit, chargingSchedulePeriod },
    };
  }
  return {
    status: "Accepted",
    schedule: { evseId: connectorId, duration: durationSeconds, scheduleStart: iso(startMs), chargingRateUnit: unit, chargingSchedulePeriod },
  };
}
