import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Pseudonyms } from '../../domain/phone-proof';
import { type Member, memberSchema } from '../../schemas/member';
import { memberKey, refPartition, tagPartition } from '../members/keys';
import { queryAll } from '../paging';
import { cancellationCodes } from '../transactions';

/**
 * A member's erasure in the Members table. Under `<merchant>#<phone proof>` it keeps:
 * - `ERASED`: the member's id, balances, yearly spend and join date, so the ledger entries (kept
 *   under the member id) still add up to a balance, and when the erasure was made;
 * - `CONSENT`, `CONSENT#…`, `SUPPRESSION`, `SUPPRESSION#…`: the proof of consent and complaints as
 *   they were, each text the customer sent replaced by its proof.
 * The member item, its tags' index items and its retry keys go, so no list, index or text finds the
 * phone again. The erased record has no index keys: nothing lists it.
 */
export const erasedKey = (merchantId: string, proof: string) => ({
  pk: `${merchantId}#${proof}`,
  sk: 'ERASED',
});

export interface ErasedMember {
  merchantId: string;
  /** Absent when the phone was never a member (only consent records were erased). */
  memberId?: string;
  phoneProof: string;
  erasedAt: string;
  points: number;
  storedValue: number;
  pointsConsumed?: number;
  spendByYear?: Record<string, number>;
  joinedAt?: string;
}

const proofFields = ['source', 'note'] as const;

/** A consent or complaint record as kept after erasure: the same facts, the customer's words as proofs. */
function erasedRecord(item: Record<string, unknown>, pseudonyms: Pseudonyms, pk: string) {
  const kept: Record<string, unknown> = { ...item, pk };
  for (const field of proofFields) {
    const value = kept[field];
    if (typeof value === 'string' && !value.startsWith('hmac:')) kept[field] = pseudonyms.text(value);
  }
  return kept;
}

export async function readErasedMember(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  proof: string,
): Promise<ErasedMember | undefined> {
  const { Item } = await db.send(
    new GetCommand({ TableName: tableName, Key: erasedKey(merchantId, proof), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...erased } = Item;
  return erased as ErasedMember;
}

/**
 * Moves the member's books and consent proof under the phone's proof and deletes everything else the
 * table holds under the phone. The member item goes in one transaction with the erased record's
 * write, conditioned on the balances read, so a purchase landing meanwhile makes it read again.
 * Erasing again finds nothing under the phone and keeps the first erasure.
 */
export async function eraseFromMembers(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  pseudonyms: Pseudonyms,
  at: Date,
): Promise<ErasedMember> {
  const { phone, proof } = pseudonyms;
  const proofPk = `${merchantId}#${proof}`;
  const records = queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': memberKey(merchantId, phone).pk },
    ConsistentRead: true,
  });
  const moved: Record<string, unknown>[] = [];
  for await (const item of records) {
    if (item.sk !== 'MEMBER') moved.push(erasedRecord(item, pseudonyms, proofPk));
  }
  await writeAll(
    db,
    tableName,
    moved.map((Item) => ({ PutRequest: { Item } })),
  );

  const erased = await moveMember(db, tableName, merchantId, pseudonyms, at);

  const gone: Record<string, unknown>[] = moved.map(({ sk }) => ({
    pk: memberKey(merchantId, phone).pk,
    sk,
  }));
  for (const pk of [tagPartition(merchantId, phone), refPartition(merchantId, phone)]) {
    for await (const item of queryAll(db, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ProjectionExpression: 'pk, sk',
    })) {
      gone.push({ pk: item.pk, sk: item.sk });
    }
  }
  await writeAll(
    db,
    tableName,
    gone.map((Key) => ({ DeleteRequest: { Key } })),
  );
  return erased;
}

/** Attempts at moving the member while purchases keep changing their balances. */
const moveAttempts = 5;

async function moveMember(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  pseudonyms: Pseudonyms,
  at: Date,
): Promise<ErasedMember> {
  for (let attempt = 1; ; attempt++) {
    const earlier = await readErasedMember(db, tableName, merchantId, pseudonyms.proof);
    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName,
        Key: memberKey(merchantId, pseudonyms.phone),
        ConsistentRead: true,
      }),
    );
    if (!Item && earlier) return earlier;
    const member: Member | undefined = Item ? memberSchema.parse(Item) : undefined;
    const erased: ErasedMember = {
      merchantId,
      phoneProof: pseudonyms.proof,
      erasedAt: earlier?.erasedAt ?? at.toISOString(),
      points: member?.points ?? 0,
      storedValue: member?.storedValue ?? 0,
      ...(member
        ? {
            memberId: member.memberId,
            pointsConsumed: member.pointsConsumed ?? 0,
            spendByYear: member.spendByYear,
            joinedAt: member.joinedAt,
          }
        : {}),
    };
    const put = {
      Put: { TableName: tableName, Item: { ...erasedKey(merchantId, pseudonyms.proof), ...erased } },
    };
    // A purchase or redemption landing meanwhile changes the balances: the member is read again.
    const remove = {
      Delete: {
        TableName: tableName,
        Key: memberKey(merchantId, pseudonyms.phone),
        ConditionExpression: 'points = :points AND storedValue = :storedValue',
        ExpressionAttributeValues: { ':points': erased.points, ':storedValue': erased.storedValue },
      },
    };
    try {
      await db.send(new TransactWriteCommand({ TransactItems: Item ? [put, remove] : [put] }));
      return erased;
    } catch (error) {
      if (!cancellationCodes(error) || attempt >= moveAttempts) throw error;
    }
  }
}

/** Puts and deletes 25 at a time (BatchWriteItem's limit), again for whatever DynamoDB left unprocessed. */
export async function writeAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  requests: Record<string, unknown>[],
): Promise<void> {
  for (let start = 0; start < requests.length; start += 25) {
    let pending = requests.slice(start, start + 25);
    for (let attempt = 0; pending.length > 0; attempt++) {
      const { UnprocessedItems } = await db.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } as never }),
      );
      pending = (UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
      if (pending.length > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
    }
  }
}
