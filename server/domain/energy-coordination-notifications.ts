// The energy-coordination dialect's webhook notifications: which notification type announces which
// event payload, and the exact bytes a delivery sends with their X-Payload-Signature. Pure: the
// sending time comes in as an argument.
import { ENERGY_COORDINATION_SIGNATURE_HEADER, signEnergyCoordinationPayload } from "./signatures";

export const EVENT_PAYLOAD_TYPES = [
  "UserEligibility",
  "PriceCurve",
  "LocationLPC",
  "ResourceLPC",
  "LPCReservation",
] as const;
export type EventPayloadType = (typeof EVENT_PAYLOAD_TYPES)[number];

export const NOTIFICATION_TYPES = [
  "PriceCurveCreated",
  "UserEligibilityUpdated",
  "LocationLPCRequested",
  "ResourceLPCRequested",
  "LPCReservationCreated",
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const NOTIFICATION_TYPE_BY_PAYLOAD: Record<EventPayloadType, NotificationType> = {
  PriceCurve: "PriceCurveCreated",
  UserEligibility: "UserEligibilityUpdated",
  LocationLPC: "LocationLPCRequested",
  ResourceLPC: "ResourceLPCRequested",
  LPCReservation: "LPCReservationCreated",
};

export function isNotificationType(value: string): value is NotificationType {
  return (NOTIFICATION_TYPES as readonly string[]).includes(value);
}

/** What the outbox stores for one notification; the sending time is added when it is sent. */
export interface StoredNotification {
  notificationId: string;
  eventId: string;
  eventCreatedAtUtc: string;
  notificationType: NotificationType;
  payload: Record<string, unknown>;
}

/** The body of one delivery attempt (sent now) and its headers, signed over exactly those bytes. */
export function notificationRequest(
  stored: StoredNotification,
  secret: string,
  now: Date,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    notificationId: stored.notificationId,
    eventId: stored.eventId,
    eventCreatedAtUtc: stored.eventCreatedAtUtc,
    notificationSentUtc: now.toISOString(),
    notificationType: stored.notificationType,
    payload: stored.payload,
  });
  return {
    body,
    headers: {
      "content-type": "application/json",
      [ENERGY_COORDINATION_SIGNATURE_HEADER.toLowerCase()]: signEnergyCoordinationPayload(secret, body),
    },
  };
}
