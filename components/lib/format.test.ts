import { describe, expect, it } from "vitest";
import {
  formatDateTime,
  formatKw,
  formatSignedKw,
  formatPence,
  formatQuantity,
  formatTime,
  londonZoneName,
  timeAxisTickFormatter,
} from "./format";
import { toneForStatus } from "./tone";

describe("London time formatting", () => {
  it("shows winter instants in GMT", () => {
    expect(formatTime("2026-01-12T14:30:00Z")).toBe("14:30");
    expect(londonZoneName("2026-01-12T14:30:00Z")).toBe("GMT");
  });

  it("shows summer instants in BST, an hour ahead of UTC", () => {
    expect(formatTime("2026-07-01T14:30:00Z")).toBe("15:30");
    expect(formatDateTime(new Date("2026-07-01T23:30:00Z"))).toBe("2 Jul 2026, 00:30 BST");
    expect(londonZoneName("2026-07-01T14:30:00Z")).toBe("BST");
  });

  it("shows power with one precision and a sign that says which way it flows", () => {
    expect(formatKw(3.6789)).toBe("3.68 kW");
    expect(formatKw(120)).toBe("120 kW");
    expect(formatSignedKw(2.5)).toBe("+2.5 kW");
    expect(formatSignedKw(-1.234)).toBe("−1.23 kW");
    expect(formatSignedKw(-0.001)).toBe("0 kW");
    expect(formatSignedKw(null)).toBe("—");
  });

  it("shows a dash for an invalid instant rather than 'Invalid Date'", () => {
    expect(formatDateTime("not a date")).toBe("—");
  });

  it("labels a one-day axis with clock times", () => {
    const tick = timeAxisTickFormatter(24 * 60 * 60 * 1000);
    expect(tick(Date.parse("2026-03-29T01:30:00Z"))).toBe("02:30");
  });
});

describe("quantities and money", () => {
  it("formats pence as pounds", () => {
    expect(formatPence(123456)).toBe("£1,234.56");
    expect(formatPence(-5)).toBe("-£0.05");
  });

  it("joins a grouped number to its unit", () => {
    expect(formatQuantity(1234.56, "kW")).toBe("1,234.6 kW");
    expect(formatQuantity(null, "kW")).toBe("—");
  });
});

describe("toneForStatus", () => {
  it("maps platform statuses to tones regardless of case", () => {
    expect(toneForStatus("CONFIRMED")).toBe("success");
    expect(toneForStatus("PENDING")).toBe("warning");
    expect(toneForStatus("FAILED")).toBe("danger");
    expect(toneForStatus("plugged-in")).toBe("info");
    expect(toneForStatus("CANCELLED")).toBe("neutral");
  });
});
