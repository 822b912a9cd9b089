import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { isTimeZone } from './time';

/**
 * A merchant's stores (门店): a chain's shops, each with its own address and, where it differs from
 * the merchant's, its own time zone. A member of staff belongs to one store or to all; what they do
 * at the counter (points, stored value, coupons) records their store, and an API key names the store
 * it acts for. A store is never deleted, only closed: what it recorded stays its own.
 */

/** A store's id is the merchant's short code for it, as it appears in reports and audiences. */
export const storeIdSchema = lazySchema(() =>
  z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,31}$/,
      'storeId: 1-32 lower-case letters, digits and dashes, starting with a letter or digit (e.g. xuhui-1)',
    ),
);

export const storeNameSchema = lazySchema(() =>
  z.string().trim().min(1, 'name: at least 1 character').max(40, 'name: at most 40 characters'),
);
export const storeAddressSchema = lazySchema(() =>
  z.string().trim().min(1, 'address: at least 1 character').max(200, 'address: at most 200 characters'),
);
export const timeZoneSchema = lazySchema(() =>
  z.string().refine(isTimeZone, 'timeZone: an IANA time zone, e.g. Asia/Shanghai'),
);

export const storeSchema = lazySchema(() =>
  z.object({
    storeId: storeIdSchema,
    name: z.string(),
    address: z.string().optional(),
    /** The store's calendar (its days in the daily figures); the merchant's when not set. */
    timeZone: z.string(),
    /** A closed store records nothing new; its history stays. */
    status: z.enum(['open', 'closed']),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime().optional(),
  }),
);
export type Store = z.infer<typeof storeSchema>;

/** The most stores one merchant keeps: the stores travel with the merchant's record. */
export const maxStores = 100;

/** Why a write may not record the store asked for. */
export type StoreRefusal =
  /** No store of the merchant has this id. */
  | 'unknown'
  /** The store is closed. */
  | 'closed'
  /** The member of staff belongs to another store. */
  | 'other-store';

export type AttributedStore = { storeId?: string } | { refused: StoreRefusal; storeId: string };

/**
 * The store a write records: the staff member's own store when they belong to one (naming another is
 * refused), else the store the request names, if any. A store named must be the merchant's and open.
 */
export function attributedStore(
  stores: Readonly<Record<string, Store>>,
  staffStoreId: string | undefined,
  requested: string | undefined,
): AttributedStore {
  if (staffStoreId !== undefined && requested !== undefined && requested !== staffStoreId) {
    return { refused: 'other-store', storeId: requested };
  }
  const storeId = staffStoreId ?? requested;
  if (storeId === undefined) return {};
  const store = Object.hasOwn(stores, storeId) ? stores[storeId] : undefined;
  if (!store) return { refused: 'unknown', storeId };
  if (store.status === 'closed') return { refused: 'closed', storeId };
  return { storeId };
}

/** The refusal in the merchant's words, for an API answer or a staff member's text. */
export function storeRefusalText(refusal: StoreRefusal, storeId: string): string {
  switch (refusal) {
    case 'unknown':
      return `storeId: no store ${storeId}`;
    case 'closed':
      return `storeId: store ${storeId} is closed`;
    case 'other-store':
      return `storeId: you belong to another store than ${storeId}`;
  }
}

/** The stores in the order a list shows them: open first, then by id. */
export function sortedStores(stores: Readonly<Record<string, Store>>): Store[] {
  return Object.values(stores).sort(
    (a, b) =>
      Number(a.status === 'closed') - Number(b.status === 'closed') || a.storeId.localeCompare(b.storeId),
  );
}
