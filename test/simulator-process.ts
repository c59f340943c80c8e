// The OEM cloud simulator in a process of its own (`simulator/main.ts`), as `npm start` runs it:
// fleet-scale tests keep its CPU out of the process under test. Devices are created and faults
// injected through its admin API.
import { spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "@/test/global-setup";
import { SIMULATOR_PREFIXES, type CreateDeviceInput, type CreatedDevice, type DeviceFaults, type SimOem } from "@/simulator/index";

export interface SimulatorProcess {
  url: string;
  baseUrls: Record<SimOem, string>;
  createDevices(inputs: readonly CreateDeviceInput[]): Promise<CreatedDevice[]>;
  setFaults(faults: DeviceFaults, deviceId?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimulatorProcess(options: { modeChangeDelayMs?: number; seed?: number } = {}): Promise<SimulatorProcess> {
  const port = await freePort();
  const root = path.resolve(import.meta.dirname, "..");
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "simulator/main.ts")], {
    cwd: root,
    env: {
      ...process.env,
      SIMULATOR_PORT: String(port),
      SIMULATOR_FLEET_SIZE: "0",
      SIMULATOR_SEED: String(options.seed ?? 1),
      SIMULATOR_MODE_CHANGE_DELAY_MS: String(options.modeChangeDelayMs ?? 2000),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the simulator exited: ${output}`);
    const up = await fetch(`${url}/_sim/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the simulator did not start within 30 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const post = async (route: string, body: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/_sim${route}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`simulator ${route}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    url,
    baseUrls: Object.fromEntries(Object.entries(SIMULATOR_PREFIXES).map(([oem, prefix]) => [oem, `${url}${prefix}`])) as Record<SimOem, string>,
    async createDevices(inputs) {
      const created: CreatedDevice[] = [];
      for (let from = 0; from < inputs.length; from += 50) {
        created.push(...((await Promise.all(inputs.slice(from, from + 50).map((input) => post("/devices", input)))) as CreatedDevice[]));
      }
      return created;
    },
    async setFaults(faults, deviceId) {
      await post("/faults", { ...faults, ...(deviceId ? { deviceId } : {}) });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
