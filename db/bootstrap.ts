// Resolves the database for a process entry point (launcher, worker, CLI):
// DATABASE_URL when set, otherwise the embedded cluster under the data directory.
// Migrations run here so every entry point sees the same schema.
import path from "node:path";
import type { Config } from "@/server/config";
import { startEmbeddedPostgres, type EmbeddedCluster } from "./embedded";
import { runMigrations } from "./migrate";

export interface BootedDatabase {
  url: string;
  embedded: EmbeddedCluster | undefined;
  stop(): Promise<void>;
}

export async function bootDatabase(
  config: Config,
  options: { migrate?: boolean; onLog?: (line: string) => void; adoptLeftover?: boolean } = {},
): Promise<BootedDatabase> {
  let embedded: EmbeddedCluster | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      onLog: options.onLog,
      adoptLeftover: options.adoptLeftover,
    });
    url = embedded.url;
  }
  if (options.migrate !== false) await runMigrations(url);
  process.env.DATABASE_URL = url;
  return { url, embedded, stop: async () => (embedded?.owned ? embedded.stop() : undefined) };
}

export function describeDatabase(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${path.posix.join("/", u.pathname.slice(1))}`;
}
