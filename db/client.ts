// The database client. Only server/services, server/jobs' runtime and db/ import this.
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { getConfig } from "@/server/config";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle has the same query API as the database. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Tx;

interface Connection {
  url: string;
  sql: postgres.Sql;
  db: Database;
}

let connection: Connection | undefined;

export function connect(url: string, options: { max?: number } = {}): Connection {
  const sql = postgres(url, {
    max: options.max ?? 10,
    // A busy machine can take seconds to start a PostgreSQL backend; 5 s refused connections under load.
    connect_timeout: 15,
    idle_timeout: 30,
    onnotice: () => {},
  });
  return { url, sql, db: drizzle(sql, { schema }) };
}

/**
 * The process-wide database. The URL is resolved by the process entry point
 * (launcher, worker, test setup) and handed over in DATABASE_URL.
 */
export function getDb(): Database {
  return getConnection().db;
}

export function getConnection(): Connection {
  if (!connection) {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error(
        "DATABASE_URL is not set for this process. Start Flexfleet with `npm run dev` (which starts the embedded PostgreSQL) or set DATABASE_URL.",
      );
    }
    connection = connect(url, { max: getConfig().databasePoolMax });
  }
  return connection;
}

export async function closeDb(): Promise<void> {
  const c = connection;
  connection = undefined;
  if (c) await c.sql.end({ timeout: 5 });
}
