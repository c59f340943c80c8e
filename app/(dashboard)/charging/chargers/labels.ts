// Words for direct charge points (OCPP-J): connection states, connector statuses and protocol
// versions as people say them, never the protocol's enum keys.
import type { Tone } from "@/components/lib/tone";

export const CONNECTION_LABEL: Record<string, { label: string; tone: Tone }> = {
  connected: { label: "Connected", tone: "success" },
  disconnected: { label: "Offline", tone: "danger" },
  never_connected: { label: "Never connected", tone: "neutral" },
};

export function connectionLabel(state: string): { label: string; tone: Tone } {
  return CONNECTION_LABEL[state] ?? { label: "Unknown", tone: "neutral" };
}

/** 1.6 StatusNotification statuses and 2.0.1 connector statuses. */
const CONNECTOR_STATUS: Record<string, { label: string; tone: Tone }> = {
  Available: { label: "Free", tone: "neutral" },
  Preparing: { label: "Car plugged in, not charging yet", tone: "info" },
  Charging: { label: "Charging", tone: "success" },
  SuspendedEVSE: { label: "Paused by the charger (following its schedule)", tone: "info" },
  SuspendedEV: { label: "Paused by the car (full or waiting)", tone: "info" },
  Finishing: { label: "Finishing", tone: "neutral" },
  Reserved: { label: "Reserved", tone: "neutral" },
  Unavailable: { label: "Out of service", tone: "warning" },
  Faulted: { label: "Fault", tone: "danger" },
  Occupied: { label: "Car plugged in", tone: "info" },
};

export function connectorStatusLabel(status: string): { label: string; tone: Tone } {
  return CONNECTOR_STATUS[status] ?? { label: splitWords(status), tone: "neutral" };
}

/** "GroundFailure" → "ground failure"; "NoError" means nothing worth showing. */
export function connectorErrorLabel(errorCode: string | undefined): string | null {
  if (!errorCode || errorCode === "NoError") return null;
  return splitWords(errorCode);
}

function splitWords(key: string): string {
  const words = key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[_-]+/g, " ").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function protocolLabel(protocol: string | null): string {
  if (protocol === "ocpp1.6") return "OCPP 1.6";
  if (protocol === "ocpp2.0.1") return "OCPP 2.0.1";
  return "Not known yet";
}

/** "1" (connector) or "1/1" (EVSE and connector) as a person reads it. */
export function connectorName(key: string): string {
  const [evse, connector] = key.split("/");
  return connector ? `Outlet ${evse}, connector ${connector}` : `Connector ${evse}`;
}

export const MESSAGE_KIND: Record<string, string> = {
  CALL: "Request",
  CALLRESULT: "Answer",
  CALLERROR: "Error answer",
  INVALID: "Unreadable message",
};

export const COMMAND_STATUS: Record<string, { label: string; tone: Tone }> = {
  pending: { label: "Waiting to be sent", tone: "info" },
  sending: { label: "Sent, waiting for the answer", tone: "info" },
  answered: { label: "Accepted by the charger", tone: "success" },
  rejected: { label: "Refused by the charger", tone: "danger" },
  failed: { label: "Could not be delivered", tone: "danger" },
  superseded: { label: "Replaced by a newer plan", tone: "neutral" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export const DIRECT_CHARGERS_REFRESH_MS = 10_000;
