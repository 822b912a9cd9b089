import { describe, expect, it } from 'vitest';
import { importFileKey, importOfKey } from '../../../shared/store/import-files';

const importId = '01KAB5M1GZ9Y8X7W6V5T4S3R2Q';

describe('import file keys', () => {
  it('name the merchant and the import under uploads/, and read back to them', () => {
    const key = importFileKey('shop-1', importId, 'jsonl');
    expect(key).toBe(`uploads/shop-1/${importId}.jsonl`);
    expect(importOfKey(key)).toEqual({ merchantId: 'shop-1', importId });
    expect(importOfKey(importFileKey('shop-1', importId, 'csv'))).toEqual({ merchantId: 'shop-1', importId });
  });

  it.each([
    `other/shop-1/${importId}.csv`,
    `uploads/shop-1/${importId}.xlsx`,
    `uploads/shop-1/${importId}`,
    `uploads/Shop_1/${importId}.csv`,
    'uploads/shop-1/not-an-import-id.csv',
    `uploads/shop-1/extra/${importId}.csv`,
    `uploads/${importId}.csv`,
  ])('are not read from %s, a key the layout never makes', (key) => {
    expect(importOfKey(key)).toBeUndefined();
  });
});
