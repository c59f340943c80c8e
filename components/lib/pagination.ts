export type PageWindow = {
  /** 1-based index of the first row shown; 0 when there are no rows. */
  firstRow: number;
  /** 1-based index of the last row shown; 0 when there are no rows. */
  lastRow: number;
  /** 1-based current page (at least 1). */
  page: number;
  /** Total pages (at least 1, so "page 1 of 1" reads naturally for an empty list). */
  pageCount: number;
  previousOffset: number | null;
  nextOffset: number | null;
};

/**
 * Page arithmetic for offset/limit lists. Out-of-range offsets (a bookmarked page 40 of a list
 * that has since shrunk) are not clamped here: the caller decides whether to redirect, but the
 * "previous" link always leads back into range.
 */
export function pageWindow(params: { offset: number; limit: number; total: number }): PageWindow {
  const limit = Math.max(1, Math.floor(params.limit));
  const total = Math.max(0, Math.floor(params.total));
  const offset = Math.max(0, Math.floor(params.offset));
  const pageCount = Math.max(1, Math.ceil(total / limit));
  const page = Math.floor(offset / limit) + 1;
  const firstRow = offset < total ? offset + 1 : 0;
  const lastRow = offset < total ? Math.min(offset + limit, total) : 0;
  const lastPageOffset = (pageCount - 1) * limit;
  const previousOffset = offset === 0 ? null : Math.min(Math.max(0, offset - limit), lastPageOffset);
  const nextOffset = offset + limit < total ? offset + limit : null;
  return { firstRow, lastRow, page, pageCount, previousOffset, nextOffset };
}

/**
 * Page numbers to show as buttons, with `null` standing for an ellipsis gap.
 * Always shows the first and last page and `siblings` pages either side of the current one.
 */
export function pageNumbers(page: number, pageCount: number, siblings = 1): Array<number | null> {
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  // Keeping the slot count constant stops the controls jumping about as the reader pages through.
  const slotCount = siblings * 2 + 5;
  if (pageCount <= slotCount) return range(1, pageCount);
  const current = Math.min(Math.max(1, page), pageCount);
  const leftSibling = Math.max(current - siblings, 1);
  const rightSibling = Math.min(current + siblings, pageCount);
  const showLeftGap = leftSibling > 2;
  const showRightGap = rightSibling < pageCount - 1;
  const edgeCount = siblings * 2 + 3;
  if (!showLeftGap) return [...range(1, edgeCount), null, pageCount];
  if (!showRightGap) return [1, null, ...range(pageCount - edgeCount + 1, pageCount)];
  return [1, null, ...range(leftSibling, rightSibling), null, pageCount];
}

const integerFormat = new Intl.NumberFormat("en-GB");

/** "Showing 1–50 of 1,234", or "No results" for an empty list. */
export function describePageWindow(window: PageWindow, total: number, noun = "results"): string {
  if (total <= 0) return `No ${noun}`;
  if (window.firstRow === 0) return `Beyond the end of ${integerFormat.format(total)} ${noun}`;
  return `Showing ${integerFormat.format(window.firstRow)}–${integerFormat.format(window.lastRow)} of ${integerFormat.format(total)}`;
}
