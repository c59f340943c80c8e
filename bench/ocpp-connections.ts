// Direct charge points on loopback: N simulated OCPP 1.6 charge points (the simulator's, on
// ocpp-rpc's strict-schema client) connect with HTTP Basic passwords to a strict-schema central system
// running in a child process. Figures per size: connection time, the central system's memory per
// connection, the time to push a re-plan (one SetChargingProfile each) to all of them and have every
// answer back, and the heartbeats per second the central system keeps up with when each charge point
// beats once a second.
//
// The central system is the simulator's fake one (ocpp-rpc's RPCServer, strict mode, no database):
// these are the figures of the protocol layer the platform's gateway is built on, not of the gateway
// with its database writes.
//   npx tsx bench/ocpp-connections.ts [sizes=1000,5000] [heartbeatSeconds=10]
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ChargePointFleet } from "@/simulator/charge-points/fleet";
import { machineLoad } from "./lib/machine";
import { benchChargePointId, benchPassword } from "./lib/ocpp-bench-ids";
import type { CentralSystemReply, CentralSystemRequest } from "./lib/ocpp-central-system-process";

const SIZES = (process.argv[2] ?? "1000,5000").split(",").map(Number);
const HEARTBEAT_WINDOW_S = Number(process.argv[3] ?? "10");
/** Connections opened at once while ramping up (a fleet reconnecting after an outage comes in waves too). */
const CONNECT_WAVE = 250;

const here = path.dirname(fileURLToPath(import.meta.url));

class CentralSystemProcess {
  private readonly child: ChildProcess;
  private readonly waiting: Array<(reply: CentralSystemReply) => void> = [];

  constructor(count: number) {
    this.child = fork(path.join(here, "lib", "ocpp-central-system-process.ts"), [String(count)], { execArgv: ["--import", "tsx", "--expose-gc"], stdio: "inherit" });
    this.child.on("message", (reply: CentralSystemReply) => this.waiting.shift()?.(reply));
  }

  next(): Promise<CentralSystemReply> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async ask<T extends CentralSystemReply["type"]>(request: CentralSystemRequest, type: T): Promise<Extract<CentralSystemReply, { type: T }>> {
    const answer = this.next();
    this.child.send(request);
    const reply = await answer;
    if (reply.type !== type) throw new Error(`expected ${type}, got ${reply.type}`);
    return reply as Extract<CentralSystemReply, { type: T }>;
  }

  async stop(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.send({ type: "stop" } satisfies CentralSystemRequest);
    await exited;
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runSize(count: number): Promise<void> {
  const central = new CentralSystemProcess(count);
  const ready = await central.next();
  if (ready.type !== "ready") throw new Error("central system did not start");
  const idle = await central.ask({ type: "stats" }, "stats");

  // Heartbeats every second per charge point once booted: the offered rate is `count` per second.
  const fleet = new ChargePointFleet(
    { centralSystemUrl: ready.url, autoPlug: false, tickMs: 0, heartbeatIntervalMs: 1000, meterValueIntervalMs: 3_600_000, reconnectDelayMs: 2000, callTimeoutMs: 60_000 },
    () => Date.now(),
  );
  await fleet.start();
  const connectStarted = performance.now();
  for (let start = 0; start < count; start += CONNECT_WAVE) {
    const wave = [];
    for (let i = start; i < Math.min(count, start + CONNECT_WAVE); i += 1) wave.push(fleet.add({ id: benchChargePointId(i), password: benchPassword(i), ocppVersion: "1.6" }));
    await Promise.all(wave);
  }
  let connected = 0;
  for (let waited = 0; waited < 120_000; waited += 250) {
    connected = (await central.ask({ type: "stats" }, "stats")).connected;
    if (connected >= count) break;
    await sleep(250);
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const loaded = await central.ask({ type: "stats" }, "stats");
  const perConnection = (loaded.rssBytes - idle.rssBytes) / Math.max(1, connected);
  const heapPerConnection = (loaded.heapUsedBytes - idle.heapUsedBytes) / Math.max(1, connected);

  const beatsBefore = (await central.ask({ type: "stats" }, "stats")).heartbeats;
  const windowStarted = performance.now();
  await sleep(HEARTBEAT_WINDOW_S * 1000);
  const beatsAfter = (await central.ask({ type: "stats" }, "stats")).heartbeats;
  const heartbeatsPerSecond = (beatsAfter - beatsBefore) / ((performance.now() - windowStarted) / 1000);

  const replan = {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: 9001,
      stackLevel: 1,
      chargingProfilePurpose: "TxDefaultProfile",
      chargingProfileKind: "Absolute",
      chargingSchedule: {
        startSchedule: new Date().toISOString(),
        duration: 86_400,
        chargingRateUnit: "W",
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 0 },
          { startPeriod: 3600, limit: 7400 },
        ],
      },
    },
  };
  const pushes = [];
  for (let round = 0; round < 3; round += 1) pushes.push(await central.ask({ type: "push", body: replan }, "pushed"));
  const fleetMemory = process.memoryUsage();

  console.log(`\n${count} charge points (${connected} connected in ${connectSeconds.toFixed(1)} s, waves of ${CONNECT_WAVE}); ${machineLoad()}`);
  console.log(`  central system memory per connection: ${(perConnection / 1024).toFixed(1)} KB RSS, ${(heapPerConnection / 1024).toFixed(1)} KB heap (${mb(idle.rssBytes)} → ${mb(loaded.rssBytes)} RSS)`);
  console.log(`  simulated charge points' process: ${mb(fleetMemory.rss)} RSS, ${(fleetMemory.heapUsed / Math.max(1, connected) / 1024).toFixed(1)} KB heap per charge point`);
  console.log(`  heartbeats held: ${heartbeatsPerSecond.toFixed(0)}/s of ${count}/s offered over ${HEARTBEAT_WINDOW_S} s`);
  for (const [i, push] of pushes.entries()) {
    console.log(`  re-plan push ${i + 1} to all: ${push.ms.toFixed(0)} ms, ${push.accepted} accepted, ${push.failed} failed`);
  }
  await fleet.stop();
  await central.stop();
}

for (const size of SIZES) await runSize(size);
