// The one migrate routine: dev, tests and production all run the committed migrations through here.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connect } from "./client";

export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/** `folder` is for tests that stop part-way (a copy of the migrations with a shortened journal). */
export async function runMigrations(url: string, folder = migrationsFolder): Promise<void> {
  const c = connect(url, { max: 1 });
  try {
    await migrate(c.db, { migrationsFolder: folder });
  } finally {
    await c.sql.end({ timeout: 5 });
  }
}
