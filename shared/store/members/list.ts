import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Member, memberSchema } from '../../schemas/member';
import { decodeCursor, encodeCursor, type ListIndex } from './cursor';
import { memberKey, tagFilterKey, tierKey } from './keys';

export interface ListOptions {
  /** 1–100; 50 when absent. */
  limit?: number;
  /** From the previous page's `cursor`. */
  cursor?: string;
  tag?: string;
  tier?: string;
}

export interface MembersPage {
  members: Member[];
  /** Present only when more members follow. */
  cursor?: string;
}

export const maxPageSize = 100;
export const defaultPageSize = 50;

type Item = Record<string, unknown>;

/**
 * The index a list reads: a tier's or a tag's own part of `byTierOrTag`, so a page holds as
 * many members as asked whenever that many match. Both at once read the tier's index and keep those
 * with the tag, reading on until the page is full.
 */
function indexFor(merchantId: string, { tag, tier }: ListOptions): ListIndex {
  if (tier !== undefined) {
    return {
      name: 'byTierOrTag',
      partitionKey: 'filterPk',
      partition: tierKey(merchantId, tier),
      sk: 'MEMBER',
    };
  }
  if (tag !== undefined) {
    return {
      name: 'byTierOrTag',
      partitionKey: 'filterPk',
      partition: tagFilterKey(merchantId, tag),
      sk: tag,
    };
  }
  return merchantListIndex(merchantId);
}

/** `byMerchant`: every current member of the merchant. */
export const merchantListIndex = (merchantId: string): ListIndex => ({
  name: 'byMerchant',
  partitionKey: 'listPk',
  partition: merchantId,
  sk: 'MEMBER',
});

/** A page of the merchant's current members, newest first, and a cursor only when more follow. */
export async function listMembers(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  options: ListOptions = {},
): Promise<MembersPage> {
  const { limit = defaultPageSize, cursor, tag, tier } = options;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
    throw new RangeError(`limit must be a whole number from 1 to ${maxPageSize}`);
  }
  const index = indexFor(merchantId, options);
  const alsoTagged = tier !== undefined && tag !== undefined;
  // One more than the page, to know whether any follow.
  const found: Item[] = [];
  let start = cursor === undefined ? undefined : decodeCursor(merchantId, index, cursor);
  do {
    const { Items = [], LastEvaluatedKey } = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.partitionKey} = :partition`,
        ...(alsoTagged
          ? {
              FilterExpression: 'contains(#tags, :tag)',
              ExpressionAttributeNames: { '#tags': 'tags' },
              ExpressionAttributeValues: { ':partition': index.partition, ':tag': tag },
            }
          : { ExpressionAttributeValues: { ':partition': index.partition } }),
        ExclusiveStartKey: start,
        ScanIndexForward: false,
        // Filtered, a read may keep few: read a full page each time; the cursor is the last kept item's key.
        Limit: alsoTagged ? maxPageSize + 1 : limit + 1 - found.length,
      }),
    );
    found.push(...Items);
    start = LastEvaluatedKey;
  } while (start && found.length <= limit);

  const onPage = found.slice(0, limit);
  const last = onPage.at(-1);
  const readsTagItems = tier === undefined && tag !== undefined;
  const members = readsTagItems ? await membersOf(db, tableName, merchantId, onPage) : onPage;
  return {
    members: members.map((item) => memberSchema.parse(item)),
    ...(found.length > limit && last ? { cursor: encodeCursor(index, last) } : {}),
  };
}

/** The members a tag's index items stand for, in their order; a member deleted meanwhile is left out. */
async function membersOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  tagItems: Item[],
) {
  if (tagItems.length === 0) return [];
  const byPk = new Map<unknown, Item>();
  let keys: Item[] | undefined = tagItems.map((item) => memberKey(merchantId, String(item.phone)));
  while (keys && keys.length > 0) {
    const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
    );
    for (const item of Responses?.[tableName] ?? []) byPk.set(item.pk, item);
    keys = UnprocessedKeys?.[tableName]?.Keys;
  }
  return tagItems.flatMap((tagged) => {
    const member = byPk.get(memberKey(merchantId, String(tagged.phone)).pk);
    return member && !member.deletedAt ? [member] : [];
  });
}
