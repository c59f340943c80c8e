// A small OCPP-J central system for the simulator's own tests and the connection benchmark: ocpp-rpc's
// RPCServer in strict mode (every message either way is checked against the official JSON schemas),
// HTTP Basic passwords per charge point, and a log of what each charge point sent.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { RPCServer } from "ocpp-rpc";
import type ServerClient from "ocpp-rpc/lib/server-client";

export interface ReceivedCall {
  chargePointId: string;
  method: string;
  params: Record<string, unknown>;
  atMs: number;
}

export interface FakeCentralSystemOptions {
  /** Charge point id → password. A charge point not listed, or with the wrong password, is refused with 401. */
  passwords: Map<string, string> | Record<string, string>;
  /** Heartbeat interval answered at boot, seconds. Default 300. */
  heartbeatIntervalSeconds?: number;
  /** Keep every received call (tests) or only count them (benchmarks). Default true. */
  recordCalls?: boolean;
}

export interface FakeCentralSystem {
  /** ws://127.0.0.1:<port>/ocpp: give this to the charge points. */
  url: string;
  calls: ReceivedCall[];
  /** Calls received per method, also when not recorded. */
  counts: Map<string, number>;
  connections: number;
  connected(): string[];
  /** Sends a command to a connected charge point and answers its response. */
  send(chargePointId: string, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Resolves with the first recorded call matching, waiting up to timeoutMs. */
  waitForCall(match: (call: ReceivedCall) => boolean, timeoutMs?: number): Promise<ReceivedCall>;
  close(): Promise<void>;
}

export async function startFakeCentralSystem(options: FakeCentralSystemOptions): Promise<FakeCentralSystem> {
  const passwords = options.passwords instanceof Map ? options.passwords : new Map(Object.entries(options.passwords));
  const recordCalls = options.recordCalls ?? true;
  const server = new RPCServer({ protocols: ["ocpp1.6", "ocpp2.0.1"], strictMode: true, pingIntervalMs: 0 });
  const clients = new Map<string, ServerClient>();
  const calls: ReceivedCall[] = [];
  const counts = new Map<string, number>();
  const waiters = new Set<() => void>();
  let transactionIds = 0;
  const state = { connections: 0 };

  server.auth((accept, reject, handshake) => {
    const expected = passwords.get(handshake.identity);
    if (expected === undefined || handshake.password?.toString("utf8") !== expected) return reject(401, "Unauthorized");
    if (!handshake.endpoint.endsWith("/ocpp")) return reject(404, "Not Found");
    accept();
  });

  server.on("client", (client: ServerClient) => {
    const id = client.identity ?? "";
    clients.get(id)?.close({ force: true }).catch(() => undefined);
    clients.set(id, client);
    state.connections += 1;
    client.on("close", () => {
      if (clients.get(id) === client) clients.delete(id);
    });
    const answer = (method: string, params: Record<string, unknown>): Record<string, unknown> => {
      const now = new Date().toISOString();
      switch (method) {
        case "BootNotification":
          return { status: "Accepted", currentTime: now, interval: options.heartbeatIntervalSeconds ?? 300 };
        case "Heartbeat":
          return { currentTime: now };
        case "StartTransaction":
          transactionIds += 1;
          return { transactionId: transactionIds, idTagInfo: { status: "Accepted" } };
        case "Authorize":
          return { idTagInfo: { status: "Accepted" } };
        case "StopTransaction":
          return { idTagInfo: { status: "Accepted" } };
        case "TransactionEvent":
          return params.eventType === "Started" ? { idTokenInfo: { status: "Accepted" } } : {};
        default:
          return {};
      }
    };
    client.handle(async ({ method, params }) => {
      const name = method ?? "";
      counts.set(name, (counts.get(name) ?? 0) + 1);
      const body = (params ?? {}) as Record<string, unknown>;
      if (recordCalls) {
        calls.push({ chargePointId: id, method: name, params: body, atMs: Date.now() });
        for (const waiter of [...waiters]) waiter();
      }
      return answer(name, body);
    });
  });

  const httpServer: Server = await server.listen(0, "127.0.0.1");
  const port = (httpServer.address() as AddressInfo).port;

  return {
    url: `ws://127.0.0.1:${port}/ocpp`,
    calls,
    counts,
    get connections() {
      return state.connections;
    },
    connected: () => [...clients.keys()],
    async send(chargePointId, method, params) {
      const client = clients.get(chargePointId);
      if (!client) throw new Error(`${chargePointId} is not connected`);
      return (await client.call(method, params)) as Record<string, unknown>;
    },
    waitForCall(match, timeoutMs = 5000) {
      const found = calls.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = calls.find(match);
          if (!hit) return;
          done();
          resolve(hit);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no matching OCPP call within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
      });
    },
    async close() {
      await server.close({ force: true });
    },
  };
}
