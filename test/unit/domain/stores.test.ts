import { describe, expect, it } from 'vitest';
import { attributedStore, type Store, sortedStores, storeIdSchema } from '../../../shared/domain/stores';

const store = (storeId: string, status: Store['status'] = 'open'): Store => ({
  storeId,
  name: storeId,
  timeZone: 'Asia/Shanghai',
  status,
  createdAt: '2026-12-01T00:00:00.000Z',
});
const stores = { xuhui: store('xuhui'), jingan: store('jingan'), old: store('old', 'closed') };

describe('stores', () => {
  it('records the staff member’s own store, else the one asked for, and refuses what cannot be', () => {
    expect(attributedStore(stores, undefined, undefined)).toEqual({});
    expect(attributedStore(stores, undefined, 'jingan')).toEqual({ storeId: 'jingan' });
    expect(attributedStore(stores, 'xuhui', undefined)).toEqual({ storeId: 'xuhui' });
    expect(attributedStore(stores, 'xuhui', 'xuhui')).toEqual({ storeId: 'xuhui' });
    expect(attributedStore(stores, 'xuhui', 'jingan')).toEqual({ refused: 'other-store', storeId: 'jingan' });
    expect(attributedStore(stores, undefined, 'nowhere')).toEqual({ refused: 'unknown', storeId: 'nowhere' });
    expect(attributedStore(stores, undefined, 'old')).toEqual({ refused: 'closed', storeId: 'old' });
    expect(attributedStore(stores, 'old', undefined)).toEqual({ refused: 'closed', storeId: 'old' });
    // A property of Object.prototype is no store.
    expect(attributedStore(stores, undefined, 'constructor')).toMatchObject({ refused: 'unknown' });
  });

  it('takes codes of lower-case letters, digits and dashes only', () => {
    for (const id of ['xuhui', 'xuhui-1', '1st', 'a'.repeat(32)])
      expect(storeIdSchema.safeParse(id).success).toBe(true);
    for (const id of ['', 'Xuhui', '-x', 'xu hui', '徐汇', 'ｘｕｈｕｉ', 'a'.repeat(33)])
      expect(storeIdSchema.safeParse(id).success, id).toBe(false);
  });

  it('lists open stores first, each by id', () => {
    expect(sortedStores(stores).map((s) => s.storeId)).toEqual(['jingan', 'xuhui', 'old']);
  });
});
