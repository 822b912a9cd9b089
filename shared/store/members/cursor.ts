import * as z from 'zod';
import { lazySchema } from '../../lazy-schema';

/** A list cursor that is malformed or was not issued for this merchant's list. */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this list returned; start again without it');
    this.name = 'InvalidCursorError';
  }
}

/** The index a list is read from, and the value of its partition key. */
export interface ListIndex {
  name: 'byMerchant' | 'byTierOrTag';
  /** The index's partition key attribute, and its value for this list. */
  partitionKey: 'listPk' | 'filterPk';
  partition: string;
  /** The sort key of the items the index holds: `MEMBER`, or the tag of a tag's index items. */
  sk: string;
}

const cursorSchema = lazySchema(() =>
  z.strictObject({
    pk: z.string(),
    sk: z.string(),
    listSk: z.string(),
    listPk: z.string().optional(),
    filterPk: z.string().optional(),
  }),
);

/** The start key after `item` in `index`: the table's key and the index's. */
export function encodeCursor(index: ListIndex, item: Record<string, unknown>): string {
  const key = { pk: item.pk, sk: item.sk, listSk: item.listSk, [index.partitionKey]: index.partition };
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/**
 * The cursor's start key, only if it lies in this list of this merchant: it must not reach another
 * merchant's members, nor another list's.
 */
export function decodeCursor(merchantId: string, index: ListIndex, cursor: string): Record<string, string> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const key = cursorSchema.safeParse(decoded);
  const others = (['listPk', 'filterPk'] as const).filter((name) => name !== index.partitionKey);
  if (
    !key.success ||
    key.data[index.partitionKey] !== index.partition ||
    others.some((name) => key.data[name] !== undefined) ||
    !key.data.pk.startsWith(`${merchantId}#`) ||
    key.data.sk !== index.sk
  ) {
    throw new InvalidCursorError();
  }
  return key.data as Record<string, string>;
}
