import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import { eventOf, ledgerEvents } from '../../../events';
import { addsLot, type Balances, type Posting, postingFingerprint } from '../../domain/ledger';
import { memberKey } from '../members';
import { outboxPut } from '../outbox';
import { cancellationCodes, retryConflicts } from '../transactions';
import { type Entry, type PostInput, type PostOutcome, toEntry } from './entries';
import { keyItem, memberPk } from './keys';
import { memberChange } from './member-change';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * The writer of postings: each posting is one transaction over the Ledger table and the member's
 * item in the Members table.
 */
export function postingWriter(
  db: DynamoDBDocumentClient,
  tableName: string,
  membersTable: string,
  outboxTable?: string,
) {
  async function balances(merchantId: string, phone: string): Promise<Balances> {
    const { Item } = await db.send(
      new GetCommand({ TableName: membersTable, Key: memberKey(merchantId, phone), ConsistentRead: true }),
    );
    return {
      points: Item?.points ?? 0,
      storedValue: Item?.storedValue ?? 0,
      storedValueBonus: Item?.storedValueBonus ?? 0,
    };
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
   * One posting's items of a transaction: the key, the entry, the member's balances (always these
   * three first) and (for points that expire) the lot. `extra` adds items (the expiry job's processed
   * lots); `consumedWas` makes the write conditional on the consumed counter the caller computed from;
   * `keyFields` are kept on the key item (what an exchange granted with it, to answer its retry).
   */
  function prepare(
    input: PostInput,
    extra: TransactItems = [],
    consumedWas?: number,
    keyFields: Record<string, string> = {},
  ) {
    const { merchantId, member, posting, idempotencyKey } = input;
    const fingerprint = postingFingerprint(member.memberId, posting);
    const postings = [posting, ...(input.also ?? [])];
    const entryIds = postings.map(() => ulid(input.at.getTime()));
    const entryId = entryIds[0] as string;
    const at = input.at.toISOString();
    const change = memberChange(postings, input.partsWere);

    const set = ['updatedAt = :at', ...change.set];
    const add = [...change.add];
    const values: Record<string, unknown> = {
      ':at': at,
      ...(change.touchesStoredValue ? { ':merchantId': merchantId } : {}),
      ...change.values,
      ':memberId': member.memberId,
    };
    const names: Record<string, string> = {};
    const conditions = [
      'attribute_exists(pk)',
      'memberId = :memberId',
      'attribute_not_exists(deletedAt)',
      ...change.conditions,
    ];
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
            ...keyFields,
            memberId: member.memberId,
            fingerprint,
            entryId,
            at,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      entryPut(postings[0] as Posting, entryId),
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
    postings.slice(1).forEach((also, index) => {
      items.push(entryPut(also, entryIds[index + 1] as string));
    });
    for (const lotPosting of postings.filter((one) => addsLot(one) && one.expiresOn)) {
      items.push({
        Update: {
          TableName: tableName,
          Key: { pk: memberPk(merchantId, member.memberId), sk: `LOT#${lotPosting.expiresOn}` },
          UpdateExpression:
            'ADD points :points SET expiryPk = :expiryPk, expirySk = :expirySk, phone = :phone',
          ExpressionAttributeValues: {
            ':points': lotPosting.delta,
            ':expiryPk': merchantId,
            ':expirySk': `${lotPosting.expiresOn}#${member.memberId}`,
            ':phone': member.phone,
          },
        },
      });
    }
    items.push(...extra);
    if (outboxTable) {
      // Each entry's event, committed with it: published from the outbox's stream, never lost.
      postings.forEach((one, index) => {
        const event = eventOf(ledgerEvents[one.type], {
          eventId: index === 0 ? `ledger:${idempotencyKey}` : `ledger:${idempotencyKey}:${index}`,
          merchantId,
          memberId: member.memberId,
          entryId: entryIds[index] as string,
          ...one,
          idempotencyKey,
          at,
        });
        items.push(
          outboxPut(
            outboxTable,
            { ...event, balanceOf: { memberId: member.memberId, book: one.book } },
            input.at,
          ),
        );
      });
    }
    return { items, fingerprint, entryId, at };

    function entryPut(one: Posting, id: string): TransactItems[number] {
      return {
        Put: {
          TableName: tableName,
          Item: { pk: memberPk(merchantId, member.memberId), sk: `ENTRY#${id}`, ...one, idempotencyKey, at },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      };
    }
  }

  /**
   * What a cancelled transaction of a posting's items means for the posting: a retry (`replayed`),
   * another operation's key (`conflict`), no such member, or too small a balance; undefined when its
   * own items were not what failed.
   */
  async function explain(
    input: PostInput,
    fingerprint: string,
    codes: (string | undefined)[],
    consumedWas?: number,
  ): Promise<PostOutcome | undefined> {
    const { merchantId, member, posting, idempotencyKey } = input;
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
      if (consumedWas !== undefined && (Item.pointsConsumed ?? 0) !== consumedWas) return undefined;
      return {
        status: 'insufficient',
        balance: posting.book === 'points' ? Item.points : (Item.storedValue ?? 0),
      };
    }
    return undefined;
  }

  /** The answer to a posting whose transaction went through: its entry and the balances now. */
  async function applied(input: PostInput, entryId: string, at: string): Promise<PostOutcome> {
    return {
      status: 'applied',
      entry: toEntry({ ...input.posting, entryId, idempotencyKey: input.idempotencyKey, at }),
      balances: await balances(input.merchantId, input.member.phone),
    };
  }

  /** One posting as one transaction, once per idempotency key. */
  async function write(
    input: PostInput,
    extra: TransactItems = [],
    consumedWas?: number,
  ): Promise<PostOutcome> {
    const { items, fingerprint, entryId, at } = prepare(input, extra, consumedWas);
    try {
      await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: items })), 12);
    } catch (error) {
      const codes = cancellationCodes(error);
      const outcome = codes && (await explain(input, fingerprint, codes, consumedWas));
      if (!outcome) throw error;
      return outcome;
    }
    return applied(input, entryId, at);
  }

  return { write, prepare, explain, applied, keyRecord: readKey };

  async function readKey(merchantId: string, idempotencyKey: string) {
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: keyItem(merchantId, idempotencyKey),
        ConsistentRead: true,
      }),
    );
    return Item;
  }
}
