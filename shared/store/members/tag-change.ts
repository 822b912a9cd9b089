import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type Member, maxTagsPerMember, memberSchema } from '../../schemas/member';
import { cancellationCodes, retryConflicts } from '../transactions';

type TransactWriteItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

import { memberKey, tagItem, tagKey } from './keys';
import { tagsAsRead } from './profile-update';

/** Tags to add to a member's and tags to take out; a tag in both is taken out. */
export interface TagChange {
  add?: readonly string[];
  remove?: readonly string[];
}

export type TagChangeOutcome =
  | { status: 'updated' }
  /** The member already had the tags added and none of those removed: nothing was written. */
  | { status: 'unchanged' }
  | { status: 'no-member' }
  | { status: 'deleted'; deletedAt: string }
  | { status: 'too-many-tags'; reason: string }
  /** Other changes to the member's tags kept landing between reading them and writing; nothing was written. */
  | { status: 'conflict' };

/**
 * Attempts at a tag change. A change fails its condition only when another change of the same
 * member's tags landed after it read them, and each attempt reads again: with up to this many
 * changes at once (beyond DynamoDB's own transaction conflicts, which `retryConflicts` absorbs)
 * every one lands.
 */
export const tagChangeAttempts = 10;

type Item = Record<string, unknown>;

/**
 * The write that makes the change on the member as read, with its tags' index items in the same
 * transaction, or why there is none. Adding only appends to the list, guarded on the added tags
 * being absent, and removing only takes out the positions read, guarded on each still holding its
 * tag: changes of different tags at the same time do not refuse each other. Both at once (or a
 * member without a tag list) write the whole list, guarded on all of it being as read.
 */
export function tagChangeWrite(tableName: string, item: Item, change: TagChange, at: Date) {
  const member = item as Pick<Member, 'merchantId' | 'phone' | 'joinedAt' | 'memberId'>;
  const current = item.tags as string[] | undefined;
  const was = current ?? [];
  const removing = new Set(change.remove);
  const added = [...new Set(change.add)].filter((tag) => !was.includes(tag) && !removing.has(tag));
  const removedAt = was.flatMap((tag, i) => (removing.has(tag) ? [i] : []));
  if (added.length === 0 && removedAt.length === 0) return { status: 'unchanged' as const };
  const count = was.length - removedAt.length + added.length;
  if (added.length > 0 && count > maxTagsPerMember) {
    return {
      status: 'too-many-tags' as const,
      reason: `the member would have ${count} tags; at most ${maxTagsPerMember}`,
    };
  }

  const names: Record<string, string> = { '#tags': 'tags', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':at': at.toISOString() };
  const guards = ['attribute_exists(pk)', 'attribute_not_exists(deletedAt)'];
  let update: string;
  if (current !== undefined && removedAt.length === 0) {
    update = 'SET #tags = list_append(#tags, :added), #updatedAt = :at';
    values[':added'] = added;
    for (const [i, tag] of added.entries()) {
      values[`:add${i}`] = tag;
      guards.push(`NOT contains(#tags, :add${i})`);
    }
    values[':room'] = maxTagsPerMember - added.length;
    guards.push('size(#tags) <= :room');
  } else if (current !== undefined && added.length === 0) {
    // One expression removes each position as read; the rest shift down after it.
    update = `SET #updatedAt = :at REMOVE ${removedAt.map((i) => `#tags[${i}]`).join(', ')}`;
    for (const i of removedAt) {
      values[`:was${i}`] = was[i];
      guards.push(`#tags[${i}] = :was${i}`);
    }
  } else {
    const guard = tagsAsRead(item);
    update = 'SET #tags = :next, #updatedAt = :at';
    values[':next'] = [...was.filter((tag) => !removing.has(tag)), ...added];
    Object.assign(values, guard.values);
    guards.push(guard.condition);
  }

  const removed = [...new Set(removedAt.map((i) => was[i] as string))];
  return {
    status: 'write' as const,
    TransactItems: [
      {
        Update: {
          TableName: tableName,
          Key: memberKey(member.merchantId, member.phone),
          UpdateExpression: update,
          ConditionExpression: guards.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...added.map((tag) => ({ Put: { TableName: tableName, Item: tagItem(member, tag) } })),
      ...removed.map((tag) => ({
        Delete: { TableName: tableName, Key: tagKey(member.merchantId, member.phone, tag) },
      })),
    ] as TransactWriteCommandInput['TransactItems'],
  };
}

/** Reads the member and makes the change on the tags read, again on a fresh read when another change landed first. */
export async function changeTags(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  phone: string,
  change: TagChange,
  at: Date,
  /** The events the change tells of, for the member read, committed with it in the outbox. */
  events: (member: Member) => TransactWriteItem[] = () => [],
): Promise<TagChangeOutcome> {
  for (let attempt = 0; attempt < tagChangeAttempts; attempt++) {
    const { Item: item } = await db.send(
      new GetCommand({ TableName: tableName, Key: memberKey(merchantId, phone), ConsistentRead: true }),
    );
    if (!item) return { status: 'no-member' };
    if (item.deletedAt) return { status: 'deleted', deletedAt: item.deletedAt as string };
    const write = tagChangeWrite(tableName, item, change, at);
    if (write.status !== 'write') return write;
    try {
      const TransactItems = [...(write.TransactItems ?? []), ...events(memberSchema.parse(item))];
      await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems })));
      return { status: 'updated' };
    } catch (error) {
      // Deleted, or the tags read changed meanwhile: read again and decide again.
      if (!cancellationCodes(error)) throw error;
    }
  }
  return { status: 'conflict' };
}
