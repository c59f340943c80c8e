// The central system of bench/ocpp-connections.ts, in a process of its own so that its memory is
// measured apart from the simulated charge points'. Driven over IPC by the benchmark.
import { startFakeCentralSystem } from "@/simulator/charge-points/fake-central-system";
import { benchChargePointId, benchPassword } from "./ocpp-bench-ids";

export type CentralSystemRequest =
  | { type: "stats" }
  | { type: "push"; body: Record<string, unknown> }
  | { type: "stop" };

export type CentralSystemReply =
  | { type: "ready"; url: string }
  | { type: "stats"; rssBytes: number; heapUsedBytes: number; connected: number; heartbeats: number }
  | { type: "pushed"; ms: number; accepted: number; failed: number };

const count = Number(process.argv[2] ?? "0");
const passwords = new Map<string, string>();
for (let i = 0; i < count; i += 1) passwords.set(benchChargePointId(i), benchPassword(i));

function reply(message: CentralSystemReply): void {
  process.send?.(message);
}

if (process.send) {
  const central = await startFakeCentralSystem({ passwords, heartbeatIntervalSeconds: 300, recordCalls: false });
  process.on("message", (request: CentralSystemRequest) => {
    void (async () => {
      if (request.type === "stats") {
        globalThis.gc?.();
        const memory = process.memoryUsage();
        reply({ type: "stats", rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, connected: central.connected().length, heartbeats: central.counts.get("Heartbeat") ?? 0 });
      } else if (request.type === "push") {
        const started = performance.now();
        const results = await Promise.allSettled(central.connected().map((id) => central.send(id, "SetChargingProfile", request.body)));
        const accepted = results.filter((r) => r.status === "fulfilled" && r.value.status === "Accepted").length;
        reply({ type: "pushed", ms: performance.now() - started, accepted, failed: results.length - accepted });
      } else {
        await central.close();
        process.exit(0);
      }
    })();
  });
  reply({ type: "ready", url: central.url });
}
