import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { runMigrations } from "./migrate";

describe("migrations", () => {
  it("apply to an empty database and are idempotent", async () => {
    const base = process.env.DATABASE_URL ?? "";
    const name = `migrate_check_${Date.now()}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    try {
      await runMigrations(url.toString());
      await runMigrations(url.toString());
      const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const tables = await sql<{ table_name: string }[]>`select table_name from information_schema.tables where table_schema = 'public'`;
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["organisations", "operators", "memberships", "audit_events"]));
      await sql`insert into organisations (slug, name) values ('x', 'X')`;
      await sql`insert into audit_events (organisation_id, actor_type, actor_label, action) select id, 'system', 'test', 'test.event' from organisations`;
      await expect(sql`update audit_events set action = 'tampered'`).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_events`).rejects.toThrow(/append-only/);
      await sql.end();
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
