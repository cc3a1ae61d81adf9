/** Which rows of a fixed-row-height list are worth rendering: those in view plus an overscan. */
export function rowWindow(
  scrollTopPx: number,
  viewPx: number,
  total: number,
  rowPx: number,
  overscan: number,
): { first: number; last: number } {
  const first = Math.max(0, Math.min(total, Math.floor(scrollTopPx / rowPx) - overscan));
  const last = Math.max(
    first,
    Math.min(total, Math.ceil((scrollTopPx + viewPx) / rowPx) + overscan),
  );
  return { first, last };
}
