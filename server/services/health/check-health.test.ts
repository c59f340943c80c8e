import { describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { checkHealth } from "./check-health";

describe("health", () => {
  it("reports the database as up", async () => {
    const report = await checkHealth();
    expect(report.database.ok).toBe(true);
    expect(report.status).not.toBe("down");
  });

  it("reports the database as down without leaking connection details", async () => {
    const dead = connect("postgres://someone:hunter2@127.0.0.1:1/nothing");
    try {
      const report = await checkHealth(dead.db);
      expect(report.status).toBe("down");
      expect(JSON.stringify(report)).not.toContain("hunter2");
    } finally {
      await dead.sql.end({ timeout: 1 });
    }
  });
});
