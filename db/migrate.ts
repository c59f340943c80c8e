// The one migrate routine: dev, tests and production all run the committed migrations through here.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connect } from "./client";

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export async function runMigrations(url: string): Promise<void> {
  const c = connect(url, { max: 1 });
  try {
    await migrate(c.db, { migrationsFolder });
  } finally {
    await c.sql.end({ timeout: 5 });
  }
}
