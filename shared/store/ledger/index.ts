/** The ledger store: immutable points and stored-value entries, lots that expire, and the balances they move. */
export { InvalidCursorError } from './cursor';
export type { Entry, HistoryPage, MemberRef, PostInput, PostOutcome } from './entries';
export * from './store';
export type { RefundInput, RefundOutcome } from './stored-value';
