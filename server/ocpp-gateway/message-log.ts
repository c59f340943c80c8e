// Feeds every frame of every connection into the bounded message log, in batches (one insert per
// flush, not one per frame), so logging never holds a charger's reply.
import { log } from "@/server/log";
import { appendOcppMessages, type GatewayContext, type LoggedMessage } from "@/server/services/ocpp";
import type { LiveConnection } from "./gateway";

const FLUSH_INTERVAL_MS = 500;
const FLUSH_AT = 1_000;
/** A frame's payload is logged up to this size; a larger one is logged as a note instead. */
const MAX_LOGGED_PAYLOAD_CHARS = 16_000;

export interface MessageLog {
  attach(connection: LiveConnection): void;
  close(): Promise<void>;
}

type Frame = Pick<LoggedMessage, "messageType" | "messageId" | "action" | "payload" | "error">;

/**
 * Reads one frame. A CALL's action is remembered under its id in the direction it was sent (`sentBy`),
 * so the answer, which travels the other way, is logged with the action it answers.
 */
function parseFrame(raw: string, sentBy: Map<string, string>, answeredFrom: Map<string, string>): Frame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { messageType: "INVALID", messageId: null, action: null, payload: null, error: "not JSON" };
  }
  if (!Array.isArray(parsed)) return { messageType: "INVALID", messageId: null, action: null, payload: null, error: "not an OCPP-J array" };
  const [type, id] = parsed as unknown[];
  const messageId = typeof id === "string" ? id : null;
  if (type === 2 && typeof parsed[2] === "string") {
    if (messageId !== null) sentBy.set(messageId, parsed[2]);
    return { messageType: "CALL", messageId, action: parsed[2], payload: parsed[3] ?? null, error: null };
  }
  const action = messageId === null ? null : (answeredFrom.get(messageId) ?? null);
  if (messageId !== null) answeredFrom.delete(messageId);
  if (type === 3) return { messageType: "CALLRESULT", messageId, action, payload: parsed[2] ?? null, error: null };
  if (type === 4) return { messageType: "CALLERROR", messageId, action, payload: parsed[4] ?? null, error: `${String(parsed[2])}: ${String(parsed[3] ?? "")}` };
  return { messageType: "INVALID", messageId, action: null, payload: null, error: "unknown message type" };
}

export function createMessageLog(gateway: GatewayContext, clock: () => Date): MessageLog {
  let buffer: LoggedMessage[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    if (buffer.length === 0) return flushing;
    const batch = buffer;
    buffer = [];
    flushing = flushing.then(() => appendOcppMessages(gateway, batch)).catch((error: unknown) => log.error({ err: error, count: batch.length }, "ocpp message log write failed"));
    return flushing;
  };
  const timer = setInterval(() => void flush(), FLUSH_INTERVAL_MS);
  timer.unref();
  return {
    attach(connection) {
      // Message ids are per direction: the charger's calls and ours are tracked apart.
      const inboundActions = new Map<string, string>();
      const outboundActions = new Map<string, string>();
      connection.client.on("message", ((event: { message: Buffer | string; outbound: boolean }) => {
        const raw = event.message.toString();
        const frame = event.outbound ? parseFrame(raw, outboundActions, inboundActions) : parseFrame(raw, inboundActions, outboundActions);
        const payload = raw.length > MAX_LOGGED_PAYLOAD_CHARS ? { note: `payload of ${raw.length} characters not kept` } : frame.payload;
        buffer.push({
          ...frame,
          payload,
          organisationId: connection.chargePoint.organisationId,
          chargePointRowId: connection.chargePoint.id,
          direction: event.outbound ? "out" : "in",
          at: clock(),
        });
        if (buffer.length >= FLUSH_AT) void flush();
      }) as never);
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
