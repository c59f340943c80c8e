import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema/index.ts",
  out: "./db/migrations",
  casing: "snake_case",
  // Only `drizzle-kit generate` is used: migrations are applied by db/migrate.ts everywhere.
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/flexfleet" },
});
