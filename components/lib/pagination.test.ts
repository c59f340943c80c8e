import { describe, expect, it } from "vitest";
import { describePageWindow, pageNumbers, pageWindow } from "./pagination";

describe("pageWindow", () => {
  it("describes the first page of a long list", () => {
    const window = pageWindow({ offset: 0, limit: 50, total: 1234 });
    expect(window).toEqual({
      firstRow: 1,
      lastRow: 50,
      page: 1,
      pageCount: 25,
      previousOffset: null,
      nextOffset: 50,
    });
    expect(describePageWindow(window, 1234)).toBe("Showing 1–50 of 1,234");
  });

  it("stops the last page at the total and offers no next page", () => {
    const window = pageWindow({ offset: 1200, limit: 50, total: 1234 });
    expect(window.lastRow).toBe(1234);
    expect(window.page).toBe(25);
    expect(window.nextOffset).toBeNull();
    expect(window.previousOffset).toBe(1150);
  });

  it("treats an empty list as one empty page", () => {
    const window = pageWindow({ offset: 0, limit: 50, total: 0 });
    expect(window).toMatchObject({
      firstRow: 0,
      lastRow: 0,
      page: 1,
      pageCount: 1,
      previousOffset: null,
      nextOffset: null,
    });
    expect(describePageWindow(window, 0)).toBe("No results");
  });

  it("leads back into range from an offset beyond the end", () => {
    const window = pageWindow({ offset: 500, limit: 50, total: 120 });
    expect(window.firstRow).toBe(0);
    expect(window.previousOffset).toBe(100);
    expect(describePageWindow(window, 120)).toBe("Beyond the end of 120 results");
  });

  it("keeps a list that fits exactly on whole pages", () => {
    expect(pageWindow({ offset: 50, limit: 50, total: 100 })).toMatchObject({
      pageCount: 2,
      page: 2,
      nextOffset: null,
      lastRow: 100,
    });
  });
});

describe("pageNumbers", () => {
  it("lists every page when they all fit", () => {
    expect(pageNumbers(3, 7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it("elides the far end near the start", () => {
    expect(pageNumbers(2, 20)).toEqual([1, 2, 3, 4, 5, null, 20]);
  });

  it("elides both sides in the middle", () => {
    expect(pageNumbers(10, 20)).toEqual([1, null, 9, 10, 11, null, 20]);
  });

  it("elides the near end near the finish", () => {
    expect(pageNumbers(19, 20)).toEqual([1, null, 16, 17, 18, 19, 20]);
  });

  it("always shows the same number of slots", () => {
    for (let page = 1; page <= 30; page += 1) expect(pageNumbers(page, 30)).toHaveLength(7);
  });
});
