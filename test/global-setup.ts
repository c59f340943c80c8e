// Integration tests run against a real PostgreSQL of their own, never the dev data:
// - DATABASE_URL set: a throwaway database is created on that server and dropped afterwards;
// - otherwise: a fresh embedded cluster under the system temp directory on a free port.
// The committed migrations are applied with the same routine production uses.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../db/embedded";
import { runMigrations } from "../db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const name = `flexfleet_test_${process.pid}_${Date.now()}`;
    const admin = postgres(external, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const url = new URL(external);
    url.pathname = `/${name}`;
    await runMigrations(url.toString());
    project.provide("databaseUrl", url.toString());
    return async () => {
      const a = postgres(external, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), "flexfleet-test-"));
  const cluster = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: "flexfleet_test" });
  await runMigrations(cluster.url);
  project.provide("databaseUrl", cluster.url);
  return async () => {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
