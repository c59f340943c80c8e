import { describe, expect, it } from "vitest";
import { connectionOf, notOnlineSummary, scheduleSkipReason } from "./labels";

describe("battery labels for people", () => {
  it("says why a schedule was not planned in words, with the next step, never the code", () => {
    const text = scheduleSkipReason("missing_prices:48");
    expect(text).toMatch(/^48 half hours of the day have no market price\. Upload/);
    expect(text).not.toContain("missing_prices");
    expect(scheduleSkipReason("planner_infeasible")).not.toContain("planner_");
    expect(scheduleSkipReason("something_new")).toBe("The battery could not be planned.");
  });

  it("names every connection state", () => {
    expect(connectionOf("no_credential").label).toBe("No credential");
    expect(connectionOf("stale").tone).toBe("warning");
  });

  it("says which batteries are not online, and nothing when all are", () => {
    expect(notOnlineSummary({ stale: 2, noCredential: 1 })).toBe("2 stale, 1 without a credential");
    expect(notOnlineSummary({ stale: 0, noCredential: 1 })).toBe("1 without a credential");
    expect(notOnlineSummary({ stale: 0, noCredential: 0 })).toBe("");
  });
});
