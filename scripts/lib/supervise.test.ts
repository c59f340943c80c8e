import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { superviseChildren } from "./supervise";

const longLived = () => spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore", detached: true });
/** Like `next dev`: a parent whose forked grandchild holds a port and prints its pid. */
const parentWithServer = () =>
  spawn(
    process.execPath,
    ["-e", `const c = require("node:child_process").spawn(process.execPath, ["-e", "require('node:net').createServer().listen(0, '127.0.0.1', () => console.log(process.pid))"], { stdio: ["ignore", "inherit", "ignore"] }); setInterval(() => {}, 1000);`],
    { stdio: ["ignore", "pipe", "ignore"], detached: true },
  );
/** Alive and not a zombie (an orphan's zombie waits for whichever init adopted it to reap it). */
const isRunning = (pid: number | undefined) => {
  try {
    process.kill(pid ?? -1, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

describe("launcher supervision", () => {
  it("when one child is killed with SIGKILL, stops the others, releases its port and finishes with status 1", async () => {
    const next = longLived();
    const other = longLived();
    // Stands in for the simulator's port, held by the launcher itself.
    const port = createServer();
    await new Promise<void>((resolve) => port.listen(0, "127.0.0.1", resolve));
    const lines: string[] = [];
    const supervision = superviseChildren(
      [
        { name: "next", process: next },
        { name: "worker", process: other },
      ],
      { release: () => new Promise<void>((resolve) => port.close(() => resolve())), say: (line) => lines.push(line), graceMs: 2000 },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    next.kill("SIGKILL");
    expect(await supervision.done).toBe(1);
    expect(lines.join("\n")).toMatch(/next was killed by SIGKILL/);
    expect(isRunning(other.pid)).toBe(false);
    expect(port.listening).toBe(false);
  });

  it("also stops a grandchild that outlives its SIGKILLed parent (next dev's server)", async () => {
    const next = parentWithServer();
    const grandchildPid = await new Promise<number>((resolve) => next.stdout?.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
    expect(isRunning(grandchildPid)).toBe(true);
    const supervision = superviseChildren([{ name: "next", process: next }], { release: async () => undefined, say: () => undefined, graceMs: 2000 });
    next.kill("SIGKILL");
    expect(await supervision.done).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isRunning(grandchildPid)).toBe(false);
  });

  it("stops everything with status 0 when asked", async () => {
    const child = longLived();
    let released = false;
    const supervision = superviseChildren([{ name: "next", process: child }], { release: async () => void (released = true), say: () => undefined });
    expect(await supervision.stop()).toBe(0);
    expect(await supervision.done).toBe(0);
    expect(released).toBe(true);
    expect(isRunning(child.pid)).toBe(false);
  });
});
