import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Member } from '../../schemas/member';
import { cancellationCodes, retryConflicts } from '../transactions';
import { decodeCursor, encodeCursor } from './cursor';
import { memberKey, tagItem, tagKey, tagPartition, tierKey } from './keys';
import { merchantListIndex } from './list';
import { tagsAsRead } from './profile-update';

/** A page of a merchant's members brought up to date: how many were read and how many needed writes. */
export interface IndexBackfillPage {
  members: number;
  written: number;
  /** Present while more members follow. */
  cursor?: string;
}

/**
 * Other writes changed a member's tier or tags under each attempt to write its index data: the page
 * stays unsaved, so the next run walks it again.
 */
export class MemberKeptChangingError extends Error {
  constructor(memberId: string) {
    super(`member ${memberId} kept changing while its list index data was written; the next run tries again`);
    this.name = 'MemberKeptChangingError';
  }
}

/** Members of a page brought up to date at once. */
const concurrency = 10;
/** Attempts at one member while other writes keep changing its tier or tags. */
const attempts = 5;

type Item = Record<string, unknown>;

/**
 * Members written before the tier and tag lists had indexes lack `filterPk` and their tags' index
 * items, so filtered lists miss them. This brings a page of the merchant's current members (the
 * `byMerchant` index, oldest first) up to date: for each, the writes it lacks, in one transaction
 * guarded on the tier, tags and list key it was read with (every other writer of those moves the
 * index data with them, so what it writes stays right). A member already up to date costs one read
 * of its tags' index items and no write, so running a page again writes nothing.
 *
 * Deleted members are not in `byMerchant`: a restore writes their index data.
 */
export async function backfillIndexPage(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  { limit, cursor }: { limit: number; cursor?: string },
): Promise<IndexBackfillPage> {
  const index = merchantListIndex(merchantId);
  const { Items = [], LastEvaluatedKey } = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: 'listPk = :merchantId',
      ExpressionAttributeValues: { ':merchantId': merchantId },
      ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(merchantId, index, cursor),
      Limit: limit,
    }),
  );
  let written = 0;
  for (let i = 0; i < Items.length; i += concurrency) {
    const done = await Promise.all(Items.slice(i, i + concurrency).map((item) => backfillMember(item)));
    written += done.filter(Boolean).length;
  }
  const last = Items.at(-1);
  return {
    members: Items.length,
    written,
    ...(LastEvaluatedKey && last ? { cursor: encodeCursor(index, last) } : {}),
  };

  /** Writes what the member's index data lacks; false when it lacked nothing (or the member left). */
  async function backfillMember(read: Item): Promise<boolean> {
    let item: Item | undefined = read;
    for (let attempt = 0; attempt < attempts && item; attempt++) {
      const writes = await missingIndexWrites(item);
      if (writes.length === 0) return false;
      try {
        await retryConflicts(() =>
          db.send(
            new TransactWriteCommand({ TransactItems: writes as TransactWriteCommandInput['TransactItems'] }),
          ),
        );
        return true;
      } catch (error) {
        if (!cancellationCodes(error)) throw error;
      }
      // Changed since read (the index read is eventually consistent): read it again and decide again.
      const { Item: fresh }: { Item?: Item } = await db.send(
        new GetCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }),
      );
      item = fresh?.listSk === undefined ? undefined : fresh;
    }
    if (!item) return false;
    throw new MemberKeptChangingError(String(read.memberId));
  }

  /** The member's own update (or check) and its tags' index items to put and delete; none when up to date. */
  async function missingIndexWrites(item: Item) {
    const member = item as Pick<Member, 'merchantId' | 'phone' | 'joinedAt' | 'memberId' | 'tier' | 'tags'>;
    const tags = member.tags ?? [];
    const { Items: indexed = [] } = await db.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': tagPartition(merchantId, member.phone) },
        ConsistentRead: true,
      }),
    );
    const byTag = new Map(indexed.map((tagged) => [tagged.sk as string, tagged]));
    const puts = tags
      .map((tag) => tagItem(member, tag))
      .filter((wanted) => {
        const found = byTag.get(wanted.sk);
        return !found || found.filterPk !== wanted.filterPk || found.listSk !== wanted.listSk;
      });
    const deletes = [...byTag.keys()].filter((tag) => !tags.includes(tag));
    const filterPk = member.tier ? tierKey(merchantId, member.tier) : undefined;
    if (item.filterPk === filterPk && puts.length === 0 && deletes.length === 0) return [];

    const guard = tagsAsRead(item);
    const names: Record<string, string> = { ...guard.names, '#tier': 'tier' };
    const values: Record<string, unknown> = { ...guard.values, ':listSk': item.listSk };
    // Still current (deleting takes `listSk` away), with the tier and tags read.
    const conditions = ['listSk = :listSk', guard.condition];
    if (member.tier === undefined) conditions.push('attribute_not_exists(#tier)');
    else {
      conditions.push('#tier = :tier');
      values[':tier'] = member.tier;
    }
    const own = {
      TableName: tableName,
      Key: memberKey(merchantId, member.phone),
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    };
    const memberWrite =
      item.filterPk === filterPk
        ? { ConditionCheck: own }
        : {
            Update: {
              ...own,
              UpdateExpression: filterPk === undefined ? 'REMOVE filterPk' : 'SET filterPk = :filterPk',
              ExpressionAttributeValues: {
                ...values,
                ...(filterPk === undefined ? {} : { ':filterPk': filterPk }),
              },
            },
          };
    return [
      memberWrite,
      ...puts.map((Item) => ({ Put: { TableName: tableName, Item } })),
      ...deletes.map((tag) => ({
        Delete: { TableName: tableName, Key: tagKey(merchantId, member.phone, tag) },
      })),
    ];
  }
}
