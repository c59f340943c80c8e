// The OCPP-J endpoint: a WebSocket listener of its own (Next.js cannot take upgrades) at
// `/ocpp/{chargePointId}`, speaking ocpp2.0.1 and ocpp1.6. A thin transport: ocpp-rpc frames the
// messages and, in strict mode, checks every inbound and outbound message against the official OCPP
// JSON schemas (a malformed or invalid frame is answered with the protocol's CALLERROR, never a crash);
// the meaning of each message and every database change live in server/ocpp and server/services/ocpp.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { RPCServer } from "ocpp-rpc";
import { callErrorCodeFor, isOcppSubprotocol, OCPP_SUBPROTOCOLS, versionOfSubprotocol, type OcppSubprotocol, type OcppVersion } from "@/server/ocpp";
import { log } from "@/server/log";
import { systemContext, type ServiceContext } from "@/server/services/context";
import {
  authenticateChargePoint,
  beatGateway,
  gatewayContext,
  listChargePointsWithPendingCommands,
  listenForGatewayCommands,
  recordChargePointConnected,
  recordChargePointDisconnected,
  stopGateway,
  type AuthenticatedChargePoint,
  type GatewayContext,
} from "@/server/services/ocpp";
import { createMessageLog, type MessageLog } from "./message-log";
import { registerHandlers } from "./handlers";
import { createCommandSender, type CommandSender } from "./command-sender";

export interface OcppGatewayOptions {
  port: number;
  host?: string;
  /** Unique per process; defaults to a random id. */
  gatewayId?: string;
  /** The interval chargers are told to send heartbeats at. */
  heartbeatIntervalSeconds?: number;
  /** How often the gateway beats its own registry heartbeat and sweeps for commands whose notice was lost. */
  sweepIntervalMs?: number;
  /** How long to wait for a charger's answer to a command. */
  callTimeoutMs?: number;
  clock?: () => Date;
}

export interface OcppGateway {
  gatewayId: string;
  port: number;
  /** Charge points connected to this process now. */
  connectedCount(): number;
  close(): Promise<void>;
}

/** What the gateway knows about one live connection. */
export interface LiveConnection {
  chargePoint: AuthenticatedChargePoint;
  protocol: OcppSubprotocol;
  version: OcppVersion;
  ctx: ServiceContext;
  client: RpcClient;
  /** Settles once the registry knows this connection; calls wait for it, so the charger's state is never behind its messages. */
  registered: Promise<void>;
}

/** The part of ocpp-rpc's server-side client the gateway uses. */
export interface RpcClient {
  identity: string;
  protocol: string | undefined;
  session: Record<string, unknown>;
  handle(method: string, handler: (call: { params: Record<string, unknown>; messageId?: string }) => Promise<Record<string, unknown>> | Record<string, unknown>): void;
  call(method: string, params: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>;
  close(options?: { code?: number; reason?: string; force?: boolean }): Promise<unknown>;
  sendRaw(message: string): void;
  on(event: string, listener: (...args: never[]) => void): void;
}

const REFUSAL_STATUS = { unknown: 404, disabled: 404, no_password: 401, wrong_password: 401 } as const;

/**
 * ocpp-rpc answers frames it cannot read with 2.0.1's error codes (RpcFrameworkError, ...) whatever the
 * protocol; a 1.6 charger is answered in its own version's codes (FormationViolation, ...) instead.
 */
function answerInVersionCodes(client: RpcClient, version: OcppVersion): void {
  if (version === "2.0.1") return;
  const send = client.sendRaw.bind(client);
  client.sendRaw = (message: string) => {
    if (!message.startsWith("[4,")) return send(message);
    const frame = JSON.parse(message) as unknown[];
    if (typeof frame[2] === "string") frame[2] = callErrorCodeFor(version, frame[2]);
    send(JSON.stringify(frame));
  };
}

function plainHttp(_request: IncomingMessage, response: ServerResponse): void {
  // Only WebSocket upgrades are served here; a browser or probe gets a short JSON answer.
  response.writeHead(426, { "content-type": "application/json", upgrade: "websocket" });
  response.end(JSON.stringify({ error: "This is the OCPP-J endpoint: connect a charge point with a WebSocket to /ocpp/{chargePointId}." }));
}

export async function startOcppGateway(options: OcppGatewayOptions): Promise<OcppGateway> {
  const gatewayId = options.gatewayId ?? `gw-${randomUUID()}`;
  const clock = options.clock ?? (() => new Date());
  const gateway: GatewayContext = gatewayContext();
  const live = new Map<string, LiveConnection>();
  const messageLog: MessageLog = createMessageLog(gateway, clock);
  const sender: CommandSender = createCommandSender({ live, clock, callTimeoutMs: options.callTimeoutMs ?? 30_000 });

  await beatGateway(gateway, { gatewayId, now: clock() });

  const rpc = new RPCServer({
    protocols: [...OCPP_SUBPROTOCOLS],
    strictMode: true,
    callTimeoutMs: options.callTimeoutMs ?? 30_000,
    pingIntervalMs: 60_000,
  });

  rpc.auth((accept, reject, handshake) => {
    // Refused before the upgrade: wrong path, no common subprotocol, unknown or disabled identity, bad password.
    if (handshake.endpoint !== "/ocpp" || handshake.identity === "") {
      reject(404, "Not Found");
      return;
    }
    if (!OCPP_SUBPROTOCOLS.some((protocol) => handshake.protocols.has(protocol))) {
      reject(400, "Bad Request");
      return;
    }
    authenticateChargePoint(gateway, { identity: handshake.identity, password: handshake.password })
      .then((result) => {
        if (result.outcome === "accepted") accept({ chargePoint: result.chargePoint });
        else {
          log.info({ identity: handshake.identity, outcome: result.outcome }, "ocpp connection refused");
          reject(REFUSAL_STATUS[result.outcome], result.outcome === "unknown" || result.outcome === "disabled" ? "Not Found" : "Unauthorized");
        }
      })
      .catch((error: unknown) => {
        log.error({ err: error }, "ocpp authentication failed");
        reject(500, "Internal Server Error");
      });
  });

  rpc.on("client", (rawClient: unknown) => {
    const client = rawClient as RpcClient;
    const chargePoint = client.session.chargePoint as AuthenticatedChargePoint;
    const protocol = client.protocol;
    if (!isOcppSubprotocol(protocol)) {
      void client.close({ code: 1002, reason: "no supported subprotocol" });
      return;
    }
    const ctx = systemContext(chargePoint.organisationId, "ocpp gateway");
    const registered = recordChargePointConnected(ctx, { chargePointRowId: chargePoint.id, gatewayId, protocol, now: clock() }).catch((error: unknown) =>
      log.error({ err: error, chargePoint: chargePoint.chargePointId }, "ocpp connection not recorded"),
    );
    const connection: LiveConnection = { chargePoint, protocol, version: versionOfSubprotocol(protocol), ctx, client, registered };
    answerInVersionCodes(client, connection.version);
    const earlier = live.get(chargePoint.id);
    live.set(chargePoint.id, connection);
    // A charger that reconnects before its old socket timed out: the new connection wins.
    if (earlier !== undefined) void earlier.client.close({ code: 1000, reason: "replaced by a newer connection" });
    messageLog.attach(connection);
    registerHandlers(connection, { clock, heartbeatIntervalSeconds: options.heartbeatIntervalSeconds ?? 300, afterReply: () => sender.requestFlush(chargePoint.id) });
    client.on("close", () => {
      if (live.get(chargePoint.id) !== connection) return;
      live.delete(chargePoint.id);
      void registered
        .then(() => recordChargePointDisconnected(ctx, { chargePointRowId: chargePoint.id, gatewayId, now: clock() }))
        .catch((error: unknown) => log.error({ err: error, chargePoint: chargePoint.chargePointId }, "ocpp disconnect not recorded"));
    });
    // Anything queued while it was away (only the latest plan survives) goes out now.
    void registered.then(() => sender.requestFlush(chargePoint.id));
  });

  const listener = await listenForGatewayCommands(gateway, gatewayId, (chargePointRowId) => sender.requestFlush(chargePointRowId));

  let sweeping = false;
  const sweep = async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      await beatGateway(gateway, { gatewayId, now: clock() });
      for (const id of await listChargePointsWithPendingCommands(gateway, gatewayId)) sender.requestFlush(id);
    } catch (error) {
      log.error({ err: error }, "ocpp gateway sweep failed");
    } finally {
      sweeping = false;
    }
  };
  const timer = setInterval(() => void sweep(), options.sweepIntervalMs ?? 5_000);
  timer.unref();

  const http: Server = createServer(plainHttp);
  http.on("upgrade", (request: IncomingMessage, socket, head: Buffer) => {
    void rpc.handleUpgrade(request, socket as never, head);
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  log.info({ gatewayId, port }, "ocpp gateway listening");

  return {
    gatewayId,
    port,
    connectedCount: () => live.size,
    close: async () => {
      clearInterval(timer);
      await listener.stop();
      await rpc.close({ code: 1001, reason: "central system shutting down", force: true });
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await sender.idle();
      await messageLog.close();
      await stopGateway(gateway, { gatewayId, now: clock() });
    },
  };
}
