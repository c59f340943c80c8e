// Sends a connected charge point its waiting commands, one charge point at a time and one command
// after another (OCPP allows one call in flight per direction), and records each answer. After an
// accepted charging profile it reads the charger's composite schedule back for the comparison.
import { log } from "@/server/log";
import { compositeScheduleRequestFor, recordAppliedSchedule, recordCommandAnswer, takeChargePointCommands, type CommandAnswer } from "@/server/services/ocpp";
import type { LiveConnection } from "./gateway";

export interface CommandSender {
  /** Sends the charge point's pending commands soon, if it is connected here. */
  requestFlush(chargePointRowId: string): void;
  /** Resolves when no flush is running. */
  idle(): Promise<void>;
}

function describeFailure(error: unknown): CommandAnswer {
  const name = error instanceof Error ? error.name : "";
  const rpcCode = typeof error === "object" && error !== null && "rpcErrorCode" in error ? String((error as { rpcErrorCode: unknown }).rpcErrorCode) : null;
  if (rpcCode !== null) return { error: `the charger answered ${rpcCode}`, connectionLost: false };
  if (name === "TimeoutError") return { error: "the charger did not answer in time", connectionLost: true };
  // A closed or closing socket, or our own request failing strict validation (a bug, kept as failed).
  const message = error instanceof Error ? error.message : String(error);
  return /closed|closing|not open|disconnect/i.test(message) ? { error: "the connection closed before the charger answered", connectionLost: true } : { error: "the request could not be sent", connectionLost: false };
}

export function createCommandSender(options: { live: Map<string, LiveConnection>; clock: () => Date; callTimeoutMs: number }): CommandSender {
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const flushOnce = async (connection: LiveConnection) => {
    const { ctx, client, chargePoint, version } = connection;
    const commands = await takeChargePointCommands(ctx, { chargePointRowId: chargePoint.id, now: options.clock() });
    for (const command of commands) {
      let answer: CommandAnswer;
      try {
        const response = (await client.call(command.action, command.payload, { callTimeoutMs: options.callTimeoutMs })) as Record<string, unknown>;
        answer = { response: response ?? {} };
      } catch (error) {
        answer = describeFailure(error);
      }
      await recordCommandAnswer(ctx, { commandId: command.commandId, answer, now: options.clock() });
      if (command.kind !== "profile" || !("response" in answer) || answer.response.status !== "Accepted") continue;
      const request = compositeScheduleRequestFor(version, command.payload);
      if (request === null) continue;
      try {
        const composite = (await client.call("GetCompositeSchedule", request, { callTimeoutMs: options.callTimeoutMs })) as Record<string, unknown>;
        await recordAppliedSchedule(ctx, { commandId: command.commandId, version, composite });
      } catch (error) {
        log.info({ chargePoint: chargePoint.chargePointId, reason: describeFailure(error) }, "ocpp composite schedule not read back");
      }
    }
  };

  const run = async (chargePointRowId: string) => {
    do {
      again.delete(chargePointRowId);
      const connection = options.live.get(chargePointRowId);
      if (connection === undefined) return;
      try {
        await flushOnce(connection);
      } catch (error) {
        log.error({ err: error, chargePoint: connection.chargePoint.chargePointId }, "ocpp command flush failed");
      }
    } while (again.has(chargePointRowId));
  };

  return {
    requestFlush(chargePointRowId) {
      if (!options.live.has(chargePointRowId)) return;
      if (running.has(chargePointRowId)) {
        again.add(chargePointRowId);
        return;
      }
      const done = run(chargePointRowId).finally(() => running.delete(chargePointRowId));
      running.set(chargePointRowId, done);
    },
    async idle() {
      await Promise.all([...running.values()]);
    },
  };
}
