import { describe, expect, it } from "vitest";
import { assessEventResponse, UNDER_DELIVERY_GRACE_MS } from "./event-response";

const startAt = new Date("2026-12-03T17:00:00Z");
const endAt = new Date("2026-12-03T18:00:00Z");
const MIN = 60_000;
const at = (offsetMs: number) => new Date(startAt.getTime() + offsetMs);
const base = { status: "active", startAt, endAt, targetKw: 10 };

describe("assessing a grid event's response", () => {
  it("does not warn before the start or while the batteries ramp, even with no response", () => {
    expect(assessEventResponse({ ...base, status: "scheduled", responseKw: null, now: at(-5 * MIN) })).toMatchObject({ phase: "before", underDelivering: false });
    expect(assessEventResponse({ ...base, responseKw: 0, now: at(UNDER_DELIVERY_GRACE_MS - 1) })).toMatchObject({ phase: "ramping", underDelivering: false });
  });

  it("warns once the response falls below 80 % of the target during the event, with the shortfall", () => {
    expect(assessEventResponse({ ...base, responseKw: 10, now: at(20 * MIN) })).toEqual({ phase: "running", thresholdKw: 8, underDelivering: false, shortfallKw: null });
    expect(assessEventResponse({ ...base, responseKw: 8, now: at(20 * MIN) }).underDelivering).toBe(false);
    expect(assessEventResponse({ ...base, responseKw: 7.9, now: at(20 * MIN) })).toMatchObject({ underDelivering: true, shortfallKw: 2.1 });
    expect(assessEventResponse({ ...base, responseKw: 0, now: at(50 * MIN) })).toMatchObject({ underDelivering: true, shortfallKw: 10 });
  });

  it("treats silence from every participant as no response", () => {
    expect(assessEventResponse({ ...base, responseKw: null, now: at(30 * MIN) })).toMatchObject({ underDelivering: true, shortfallKw: 10 });
  });

  it("warns about a committed event whose dispatch never started, but not a cancelled or finished one", () => {
    expect(assessEventResponse({ ...base, status: "scheduled", responseKw: null, now: at(30 * MIN) }).underDelivering).toBe(true);
    expect(assessEventResponse({ ...base, status: "cancelled", responseKw: null, now: at(30 * MIN) }).underDelivering).toBe(false);
    expect(assessEventResponse({ ...base, status: "restoring", responseKw: 0, now: endAt })).toMatchObject({ phase: "ended", underDelivering: false });
  });
});
