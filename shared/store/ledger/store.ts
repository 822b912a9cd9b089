import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Book, expirablePoints, type Lot, type Posting } from '../../domain/ledger';
import { count, metricNames } from '../../metrics';
import { memberKey } from '../members';
import { queryAll } from '../paging';
import { readCursor, writeCursor } from './cursor';
import { type HistoryPage, type MemberRef, type PostInput, type PostOutcome, toEntry } from './entries';
import { memberPk } from './keys';
import { postingWriter, type TransactItems } from './posting';
import { type RefundInput, type RefundOutcome, storedValueWriter } from './stored-value';

export interface LedgerStore {
  /**
   * One posting (and `also`, postings to the other book in its transaction), once per key. A
   * stored-value debit is split into paid and bonus by `bonusSpendOrder` as the parts stand.
   */
  post(input: PostInput): Promise<PostOutcome>;
  /** A refund (退款) of one top-up, by the top-up's key: see shared/domain/top-up-bonus.ts. */
  refund(input: RefundInput): Promise<RefundOutcome>;
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

/** Transactions hold at most 100 items: entry, key and member leave room for this many lots. */
const maxLotsPerExpiry = 90;

export function ledgerStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  membersTable: string,
  /** Where each posting's event is written, in the posting's transaction (shared/store/outbox.ts). */
  outboxTable?: string,
): LedgerStore {
  const postings = postingWriter(db, tableName, membersTable, outboxTable);
  const storedValue = storedValueWriter(db, { ledger: tableName, members: membersTable }, postings);
  // Every posting goes through here (the API, staff commands, retention grants, expiry): counted once written.
  const write: typeof postings.write = async (input, ...rest) => {
    const { posting } = input;
    const outcome =
      posting.book === 'storedValue' && posting.delta < 0 && !input.partsWere
        ? await storedValue.spend(input)
        : await postings.write(input, ...rest);
    count(metricNames.ledgerOperations, { type: posting.type, outcome: outcome.status });
    return outcome;
  };

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

    async refund(input) {
      const outcome = await storedValue.refund(input);
      count(metricNames.ledgerOperations, { type: 'refund', outcome: outcome.status });
      return outcome;
    },

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
