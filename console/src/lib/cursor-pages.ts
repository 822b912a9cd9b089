import { useCallback, useState } from 'react';

/**
 * Paging by the API's cursors: the cursor of each page seen so far, so "previous" goes back without
 * asking the API for a way back it does not offer.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return {
    /** The cursor to ask for the page shown: undefined for the first. */
    cursor: cursors.at(-1),
    hasPrevious: cursors.length > 1,
    next: useCallback((cursor: string) => setCursors((seen) => [...seen, cursor]), []),
    previous: useCallback(() => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)), []),
    /** Back to the first page, e.g. when a filter changed. */
    reset: useCallback(() => setCursors([undefined]), []),
  };
}
