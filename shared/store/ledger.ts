import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import {
  addsLot,
  type Balances,
  type Book,
  consumes,
  expirablePoints,
  type Lot,
  type Posting,
  postingFingerprint,
} from '../domain/ledger';
import { memberKey } from './members';
import { queryAll } from './paging';
import { cancellationCodes, retryConflicts } from './transactions';

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
export interface MemberRef {
  memberId: string;
  phone: string;
}

export interface PostInput {
  merchantId: string;
  member: MemberRef;
  posting: Posting;
  idempotencyKey: string;
  at: Date;
  /** Calendar year of the posting in the merchant's time zone, for the yearly spend. */
  year: string;
}

export interface Entry {
  entryId: string;
  book: Book;
  type: Posting['type'];
  delta: number;
  reason?: string;
  purchaseCents?: number;
  expiresOn?: string;
  idempotencyKey: string;
  at: string;
}

export type PostOutcome =
  | { status: 'applied' | 'replayed'; entry: Entry; balances: Balances }
  /** The key was used before for a different operation. */
  | { status: 'conflict' }
  | { status: 'no-member' }
  | { status: 'insufficient'; balance: number };

export interface HistoryPage {
  entries: Entry[];
  cursor?: string;
}

export interface LedgerStore {
  post(input: PostInput): Promise<PostOutcome>;
  /** Entries newest first, optionally of one book. */
  history(
    merchantId: string,
    memberId: string,
    page: { limit: number; cursor?: string; book?: Book },
  ): Promise<HistoryPage>;
  lots(merchantId: string, memberId: string): Promise<Lot[]>;
  /** Members with lots that expired before `before` and have not been processed yet. */
  dueForExpiry(
    merchantId: string,
    before: string,
    limit: number,
    cursor?: string,
  ): Promise<{
    members: MemberRef[];
    cursor?: string;
  }>;
  /** Members with lots expiring from `from` through `through` (dates), for expiry reminders. */
  expiringBetween(
    merchantId: string,
    from: string,
    through: string,
    limit: number,
    cursor?: string,
  ): Promise<{
    members: MemberRef[];
    cursor?: string;
  }>;
  /** Expires what is left of the member's lots expiring on or before `through`; once per key. */
  expire(
    input: Omit<PostInput, 'posting'> & { through: string },
  ): Promise<PostOutcome | { status: 'nothing' }>;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this listing gave out');
    this.name = 'InvalidCursorError';
  }
}

/** Transactions hold at most 100 items: entry, key and member leave room for this many lots. */
const maxLotsPerExpiry = 90;

export function ledgerStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  membersTable: string,
): LedgerStore {
  const memberPk = (merchantId: string, memberId: string) => `${merchantId}#${memberId}`;
  const keyItem = (merchantId: string, idempotencyKey: string) => ({
    pk: `${merchantId}#KEY#${idempotencyKey}`,
    sk: 'KEY',
  });

  async function balances(merchantId: string, phone: string): Promise<Balances> {
    const { Item } = await db.send(
      new GetCommand({ TableName: membersTable, Key: memberKey(merchantId, phone), ConsistentRead: true }),
    );
    return { points: Item?.points ?? 0, storedValue: Item?.storedValue ?? 0 };
  }

  async function entry(merchantId: string, memberId: string, entryId: string): Promise<Entry> {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: { pk: memberPk(merchantId, memberId), sk: `ENTRY#${entryId}` },
      }),
    );
    return toEntry(Item as Record<string, unknown>);
  }

  /**
   * One posting as one transaction: the key, the entry, the member's balances and (for points
   * that expire) the lot. `extra` adds items (the expiry job's processed lots); `consumedWas`
   * makes the write conditional on the consumed counter the caller computed from.
   */
  async function write(
    input: PostInput,
    extra: TransactItems = [],
    consumedWas?: number,
  ): Promise<PostOutcome> {
    const { merchantId, member, posting, idempotencyKey } = input;
    const fingerprint = postingFingerprint(member.memberId, posting);
    const entryId = ulid(input.at.getTime());
    const at = input.at.toISOString();
    const consumed = consumes(posting);

    const set = ['updatedAt = :at'];
    if (posting.book === 'storedValue') {
      // Puts the member in the byStoredValue index (low-balance reminders) and dates the balance.
      set.push('storedValuePk = :merchantId', 'storedValueAt = :at');
    }
    const add = [posting.book === 'points' ? 'points :delta' : 'storedValue :delta'];
    const values: Record<string, unknown> = {
      ':at': at,
      ...(posting.book === 'storedValue' ? { ':merchantId': merchantId } : {}),
      ':delta': posting.delta,
      ':memberId': member.memberId,
    };
    const names: Record<string, string> = {};
    const conditions = ['attribute_exists(pk)', 'memberId = :memberId', 'attribute_not_exists(deletedAt)'];
    if (posting.delta < 0) {
      conditions.push(posting.book === 'points' ? 'points >= :debit' : 'storedValue >= :debit');
      values[':debit'] = -posting.delta;
    }
    if (consumed > 0) {
      add.push('pointsConsumed :consumed');
      values[':consumed'] = consumed;
    }
    if (consumedWas !== undefined) {
      conditions.push(
        consumedWas === 0
          ? '(attribute_not_exists(pointsConsumed) OR pointsConsumed = :was)'
          : 'pointsConsumed = :was',
      );
      values[':was'] = consumedWas;
    }
    if (posting.purchaseCents) {
      // A member item always has the spendByYear map, so one year's figure can be added to in place.
      add.push('spendByYear.#year :spend');
      names['#year'] = input.year;
      values[':spend'] = posting.purchaseCents;
      // Audiences' "days since last purchase". Postings are made as they happen, so the latest wins.
      set.push('lastPurchaseAt = :at');
    }
    const items: TransactItems = [
      {
        Put: {
          TableName: tableName,
          Item: {
            ...keyItem(merchantId, idempotencyKey),
            memberId: member.memberId,
            fingerprint,
            entryId,
            at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Put: {
          TableName: tableName,
          Item: {
            pk: memberPk(merchantId, member.memberId),
            sk: `ENTRY#${entryId}`,
            ...posting,
            idempotencyKey,
            at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: membersTable,
          Key: memberKey(merchantId, member.phone),
          UpdateExpression: `SET ${set.join(', ')} ADD ${add.join(', ')}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
        },
      },
    ];
    if (addsLot(posting) && posting.expiresOn) {
      items.push({
        Update: {
          TableName: tableName,
          Key: { pk: memberPk(merchantId, member.memberId), sk: `LOT#${posting.expiresOn}` },
          UpdateExpression:
            'ADD points :points SET expiryPk = :expiryPk, expirySk = :expirySk, phone = :phone',
          ExpressionAttributeValues: {
            ':points': posting.delta,
            ':expiryPk': merchantId,
            ':expirySk': `${posting.expiresOn}#${member.memberId}`,
            ':phone': member.phone,
          },
        },
      });
    }
    items.push(...extra);

    try {
      await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: items })), 12);
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') {
        const { Item } = await db.send(
          new GetCommand({
            TableName: tableName,
            Key: keyItem(merchantId, idempotencyKey),
            ConsistentRead: true,
          }),
        );
        if (!Item || Item.fingerprint !== fingerprint) return { status: 'conflict' };
        return {
          status: 'replayed',
          entry: await entry(merchantId, member.memberId, Item.entryId as string),
          balances: await balances(merchantId, member.phone),
        };
      }
      if (codes[2] === 'ConditionalCheckFailed') {
        const { Item } = await db.send(
          new GetCommand({
            TableName: membersTable,
            Key: memberKey(merchantId, member.phone),
            ConsistentRead: true,
          }),
        );
        if (!Item || Item.memberId !== member.memberId || Item.deletedAt) return { status: 'no-member' };
        // The consumed counter moved since the caller read it (the expiry job races a redeem).
        if (consumedWas !== undefined && (Item.pointsConsumed ?? 0) !== consumedWas) throw error;
        return {
          status: 'insufficient',
          balance: posting.book === 'points' ? Item.points : (Item.storedValue ?? 0),
        };
      }
      throw error;
    }
    return {
      status: 'applied',
      entry: toEntry({ ...posting, entryId, idempotencyKey, at }),
      balances: await balances(merchantId, member.phone),
    };
  }

  /** Members with indexed (not yet expired) lots matching a condition on `<date>#<member id>`. */
  async function lotsIndexed(
    merchantId: string,
    condition: string,
    values: Record<string, string>,
    limit: number,
    cursor?: string,
  ) {
    const { Items = [], LastEvaluatedKey } = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'byExpiry',
        KeyConditionExpression: `expiryPk = :merchant AND ${condition}`,
        ExpressionAttributeValues: { ':merchant': merchantId, ...values },
        Limit: limit,
        ExclusiveStartKey: cursor ? JSON.parse(Buffer.from(cursor, 'base64url').toString()) : undefined,
      }),
    );
    const members = new Map<string, MemberRef>();
    for (const item of Items) {
      const memberId = (item.expirySk as string).split('#')[1] as string;
      members.set(memberId, { memberId, phone: item.phone as string });
    }
    return {
      members: [...members.values()],
      ...(LastEvaluatedKey
        ? { cursor: Buffer.from(JSON.stringify(LastEvaluatedKey)).toString('base64url') }
        : {}),
    };
  }

  const store: LedgerStore = {
    post: (input) => write(input),

    async history(merchantId, memberId, { limit, cursor, book }) {
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
          ExpressionAttributeValues: {
            ':pk': memberPk(merchantId, memberId),
            ':entry': 'ENTRY#',
            ...(book ? { ':book': book } : {}),
          },
          ...(book ? { FilterExpression: 'book = :book' } : {}),
          ScanIndexForward: false,
          Limit: limit,
          ExclusiveStartKey: cursor ? readCursor(cursor, memberPk(merchantId, memberId)) : undefined,
        }),
      );
      return {
        entries: Items.map(toEntry),
        ...(LastEvaluatedKey ? { cursor: writeCursor(LastEvaluatedKey) } : {}),
      };
    },

    async lots(merchantId, memberId) {
      const lots: Lot[] = [];
      for await (const item of queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lot)',
        ExpressionAttributeValues: { ':pk': memberPk(merchantId, memberId), ':lot': 'LOT#' },
        ConsistentRead: true,
      })) {
        lots.push({ expiresOn: (item.sk as string).slice(4), points: item.points as number });
      }
      return lots;
    },

    dueForExpiry: (merchantId, before, limit, cursor) =>
      lotsIndexed(merchantId, 'expirySk < :before', { ':before': before }, limit, cursor),

    expiringBetween: (merchantId, from, through, limit, cursor) =>
      // `~` sorts after every member id, so the last day's lots are all included.
      lotsIndexed(
        merchantId,
        'expirySk BETWEEN :from AND :through',
        { ':from': from, ':through': `${through}#~` },
        limit,
        cursor,
      ),

    async expire({ through, ...input }) {
      const { merchantId, member } = input;
      const { Item } = await db.send(
        new GetCommand({
          TableName: membersTable,
          Key: memberKey(merchantId, member.phone),
          ConsistentRead: true,
        }),
      );
      if (!Item || Item.memberId !== member.memberId) return { status: 'no-member' };
      const consumed = (Item.pointsConsumed as number | undefined) ?? 0;
      const lots = await store.lots(merchantId, member.memberId);
      const processed = lots.filter((lot) => lot.expiresOn <= through).slice(0, maxLotsPerExpiry);
      // Processed lots leave the index; they stay in the table, as the sums above need them.
      const leaveIndex: TransactItems = processed.map((lot) => ({
        Update: {
          TableName: tableName,
          Key: { pk: memberPk(merchantId, member.memberId), sk: `LOT#${lot.expiresOn}` },
          UpdateExpression: 'REMOVE expiryPk, expirySk',
        },
      }));
      const points = expirablePoints(lots, consumed, through);
      if (points === 0) {
        if (leaveIndex.length > 0) await db.send(new TransactWriteCommand({ TransactItems: leaveIndex }));
        return { status: 'nothing' };
      }
      const posting: Posting = {
        book: 'points',
        type: 'expire',
        delta: -points,
        reason: `expired through ${through}`,
      };
      return write({ ...input, posting }, leaveIndex, consumed);
    },
  };
  return store;
}

type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

function toEntry(item: Record<string, unknown>): Entry {
  const { entryId, book, type, delta, reason, purchaseCents, expiresOn, idempotencyKey, at } =
    item as unknown as Entry;
  return {
    entryId: entryId ?? (item.sk as string).slice('ENTRY#'.length),
    book,
    type,
    delta,
    ...(reason !== undefined ? { reason } : {}),
    ...(purchaseCents !== undefined ? { purchaseCents } : {}),
    ...(expiresOn !== undefined ? { expiresOn } : {}),
    idempotencyKey,
    at,
  };
}

function writeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify([key.pk, key.sk])).toString('base64url');
}

/** A cursor continues only the listing it came from: another member's or merchant's is refused. */
function readCursor(cursor: string, pk: string): Record<string, unknown> {
  try {
    const [cursorPk, sk] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    if (cursorPk === pk && typeof sk === 'string' && sk.startsWith('ENTRY#')) return { pk, sk };
  } catch {
    // falls through to the refusal
  }
  throw new InvalidCursorError();
}
