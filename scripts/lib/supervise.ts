// The launcher's children live and die together: when any of them exits (crashed, killed with
// SIGKILL, or stopped), the others are stopped, the launcher's own resources are released (the
// simulator's port, the embedded database) and the launcher exits with a status that says so.
import type { ChildProcess } from "node:child_process";

export interface Supervision {
  /** Resolves with the exit status once everything is stopped. */
  done: Promise<number>;
  /** Stops everything (Ctrl-C, SIGTERM): status 0. */
  stop(): Promise<number>;
}

function hasExited(child: ChildProcess): boolean {
  // A child killed by a signal has exitCode null and signalCode set: both mean it is gone.
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Children are spawned `detached` (their own process group) so that the group can be signalled:
 * `next dev` runs the server in a grandchild that holds the port and would outlive a SIGKILLed
 * parent. Signalling the group reaches it.
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone (or the child is not a group leader): signal the child alone.
    if (!hasExited(child)) child.kill(signal);
  }
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  const exited = hasExited(child) ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Even when the child itself has died, its group (grandchildren) may live on.
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  // Whatever of the group ignored SIGTERM goes now.
  await new Promise((resolve) => setTimeout(resolve, 200));
  signalGroup(child, "SIGKILL");
}

export function superviseChildren(
  children: { name: string; process: ChildProcess }[],
  options: { release: () => Promise<void>; say: (line: string) => void; graceMs?: number },
): Supervision {
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  let stopping: Promise<number> | undefined;

  const shutdown = (code: number, reason: string): Promise<number> => {
    stopping ??= (async () => {
      options.say(`stopping (${reason})`);
      await Promise.all(children.map((child) => stopChild(child.process, options.graceMs ?? 10_000)));
      try {
        await options.release();
      } catch (error) {
        options.say(`could not release everything: ${error instanceof Error ? error.message : String(error)}`);
      }
      resolveDone(code);
      return code;
    })();
    return stopping;
  };

  for (const child of children) {
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      const how = signal ? `was killed by ${signal}` : `exited with ${code}`;
      // A child that dies on its own is a failure of the whole, unless we were already stopping.
      void shutdown(code === 0 && !signal ? 0 : 1, `${child.name} ${how}`);
    };
    if (hasExited(child.process)) onExit(child.process.exitCode, child.process.signalCode);
    else child.process.once("exit", onExit);
  }
  return { done, stop: () => shutdown(0, "asked to stop") };
}
