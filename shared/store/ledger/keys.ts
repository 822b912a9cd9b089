/**
 * Keys, all in the Ledger table under the merchant:
 * - `<merchant>#<member id>` / `ENTRY#<ulid>`: immutable entries, time-ordered.
 * - `<merchant>#<member id>` / `LOT#<YYYY-MM-DD>`: points earned that expire on that day. While
 *   not yet expired, a lot is in the sparse `byExpiry` index (`<merchant>` / `<date>#<member id>`),
 *   which is how the expiry job finds its work without scanning.
 * - `<merchant>#KEY#<idempotency key>` / `KEY`: written with every entry in one transaction, so a
 *   retried request finds its key and changes nothing.
 * Balances, the consumed-points counter and yearly spend live on the member item and move in the
 * same transaction, conditioned so that no balance goes below zero.
 */
export const memberPk = (merchantId: string, memberId: string) => `${merchantId}#${memberId}`;
export const keyItem = (merchantId: string, idempotencyKey: string) => ({
  pk: `${merchantId}#KEY#${idempotencyKey}`,
  sk: 'KEY',
});
