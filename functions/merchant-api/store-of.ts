import { type AttributedStore, attributedStore, storeRefusalText } from '../../shared/domain/stores';
import type { Merchant } from '../../shared/schemas/merchant';
import type { Caller } from './auth';
import { HttpError } from './http';

/** The store asked for, or the refusal at `storeId`: 403 for another store than one's own, else 400. */
function acceptedStore(store: AttributedStore): string | undefined {
  if (!('refused' in store)) return store.storeId;
  const message = storeRefusalText(store.refused, store.storeId);
  const issues = [{ path: 'storeId', message: message.replace(/^storeId: /, '') }];
  if (store.refused === 'other-store') throw new HttpError(403, 'other_store', message, issues);
  throw new HttpError(400, 'invalid_body', message, issues);
}

/**
 * The store a write records (门店): the caller's own when they are staff of one store, else the
 * `storeId` the request names, if any. A store that is unknown or closed is refused at the field (400),
 * another store than a staff member's own is forbidden (403).
 */
export function storeOf(
  merchant: Merchant,
  caller: Caller,
  requested: string | undefined,
): string | undefined {
  const staffStore = caller.actor.kind === 'staff' ? caller.actor.staff.storeId : undefined;
  return acceptedStore(attributedStore(merchant.stores, staffStore, requested));
}

/** A store a member of staff is assigned to: the merchant's, and open. */
export function assignableStore(merchant: Merchant, storeId: string): void {
  acceptedStore(attributedStore(merchant.stores, undefined, storeId));
}
