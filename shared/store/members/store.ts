import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../../events/catalog';
import {
  type Contact,
  type MarketingConsent,
  type Member,
  type MemberInput,
  type MemberPatch,
  marketingConsentSchema,
  maxCustomAttributes,
  memberSchema,
  suppressionSchema,
} from '../../schemas/member';
import { eventPuts } from '../outbox';
import { countAll } from '../paging';
import { cancellationCodes, isConditionFailure, retryConflicts } from '../transactions';
import { type ConsentRecords, consentRecords, consentWrites, recordConsent } from './consent';
import { backfillIndexPage, type IndexBackfillPage } from './index-backfill';
import { idKey, listKey, memberKey, newMemberItem, tagItem, tagKey, tierKey } from './keys';
import { type ListOptions, listMembers, type MembersPage } from './list';
import type { JoinEvents, MemberEvents } from './member-events';
import { profileUpdate, tagIndexChange, tagsAsRead } from './profile-update';
import { changeTags, type TagChange, type TagChangeOutcome } from './tag-change';

export type CreateOutcome =
  /** `consent`: with an opt-in, whether it was recorded or the phone had already chosen. */
  | { status: 'created'; consent?: 'recorded' | 'unchanged' }
  | { status: 'exists' }
  /** The phone was a member who was deleted: joining again brought them back, history and all. */
  | { status: 'restored'; member: Member; consent?: 'recorded' | 'unchanged' };

export type UpdateOutcome =
  | { status: 'updated'; member: Member }
  | { status: 'no-member' }
  | { status: 'deleted'; deletedAt: string }
  /** The patch would leave the member with more custom attributes than allowed. */
  | { status: 'too-many-attributes'; reason: string }
  /** Other writes kept changing the member's attributes; nothing was written. */
  | { status: 'conflict' };

export type DeleteOutcome =
  | { status: 'deleted'; member: Member; deletedAt: string }
  | { status: 'no-member' }
  | { status: 'conflict' };

export type RestoreOutcome =
  | { status: 'restored'; member: Member }
  /** The member was not deleted: nothing to restore. */
  | { status: 'current'; member: Member }
  | { status: 'no-member' }
  | { status: 'conflict' };

export type { IndexBackfillPage } from './index-backfill';
export { defaultPageSize, type ListOptions, type MembersPage, maxPageSize } from './list';
export type { JoinEvents, MemberEvents } from './member-events';
export type { TagChange, TagChangeOutcome } from './tag-change';

export interface MembersStore extends ConsentRecords {
  contact(merchantId: string, phone: string): Promise<Contact>;
  /** Creates the member unless the phone already is one; returns whether it did. */
  register(member: MemberInput): Promise<boolean>;
  /**
   * Creates the member unless the phone already is one; a phone whose member was deleted gets that
   * member back as they were (`restore`). `optIn`, the customer's consent given with joining, is
   * recorded with the member unless the phone already chose.
   */
  create(member: MemberInput, optIn?: MarketingConsent, events?: JoinEvents): Promise<CreateOutcome>;
  /**
   * Changes profile fields only. Balances and tiers on the same item belong to the ledger and
   * tier jobs: they are never written here, so a concurrent earn is never lost.
   */
  update(
    merchantId: string,
    phone: string,
    patch: MemberPatch,
    at: Date,
    events?: MemberEvents,
  ): Promise<UpdateOutcome>;
  /**
   * Adds and removes tags on the member's tags as they are when written, so changes made at the same
   * time all land; the tags' index items change in the same transaction.
   */
  changeTags(
    merchantId: string,
    phone: string,
    change: TagChange,
    at: Date,
    events?: MemberEvents,
  ): Promise<TagChangeOutcome>;
  /** A page of the merchant's current members, newest first. */
  list(merchantId: string, options?: ListOptions): Promise<MembersPage>;
  /** How many current members the merchant has, counted from the list's index (deleted ones are not in it). */
  count(merchantId: string): Promise<number>;
  /**
   * Marks the member deleted and takes them out of lists; the item and the ledger stay. Deleting
   * again changes nothing and answers with the first `deletedAt`.
   */
  softDelete(merchantId: string, phone: string, at: Date, events?: MemberEvents): Promise<DeleteOutcome>;
  /**
   * Brings a deleted member back into lists and the API with their balances, ledger and tags; their
   * consent stays as it is. Restoring a current member changes nothing.
   */
  restore(merchantId: string, phone: string, at: Date, events?: MemberEvents): Promise<RestoreOutcome>;
  /** The member with this id, deleted or not; read from an index, so a write may take a moment to show. */
  byMemberId(merchantId: string, memberId: string): Promise<Member | undefined>;
  /**
   * Writes the list index data (the tier's `filterPk`, the tags' index items) that a page of the
   * merchant's current members lacks: members written before those indexes existed. Safe to repeat.
   */
  backfillIndex(merchantId: string, page: { limit: number; cursor?: string }): Promise<IndexBackfillPage>;
}

/** Attempts at a write while other writes change the same member. */
const writeAttempts = 3;

/** `outboxTable`: where the events given with a write are committed, in the write's transaction. */
export function membersStore(
  db: DynamoDBDocumentClient,
  tableName: string,
  outboxTable?: string,
): MembersStore {
  const outbox = (events: DomainEvent[] | undefined, at: Date) => eventPuts(outboxTable, events, at);
  const put = (Item: Record<string, unknown>) => ({ Put: { TableName: tableName, Item } });
  const remove = (Key: Record<string, unknown>) => ({ Delete: { TableName: tableName, Key } });
  const transact = (TransactItems: Record<string, unknown>[]) =>
    retryConflicts(() =>
      db.send(
        new TransactWriteCommand({
          TransactItems: TransactItems as TransactWriteCommandInput['TransactItems'],
        }),
      ),
    );

  /** Puts a new member with its tags' index items and events; false when the phone already has a member. */
  const putNew = async ({ item, tagItems }: NewMember, events: Record<string, unknown>[] = []) => {
    try {
      if (tagItems.length === 0 && events.length === 0) {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } else {
        await transact([
          { Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
          ...tagItems.map(put),
          ...events,
        ]);
      }
      return true;
    } catch (error) {
      if (isConditionFailure(error) || cancellationCodes(error)?.[0] === 'ConditionalCheckFailed')
        return false;
      throw error;
    }
  };

  /**
   * The member and the opt-in in one transaction, so a retry after a crash cannot leave the member
   * without the consent it was created with. A phone that already chose keeps its choice: the
   * member is then created alone.
   */
  const createWithOptIn = async (
    created: NewMember,
    optIn: MarketingConsent,
    events: JoinEvents | undefined,
  ): Promise<CreateOutcome | undefined> => {
    const { item, tagItems } = created;
    const memberPut = {
      Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
    };
    const consent = consentWrites(tableName, item.merchantId, item.phone, optIn, true);
    try {
      const announced = events && [events.registered, ...(events.optedIn ? [events.optedIn] : [])];
      await transact([
        memberPut,
        ...consent,
        ...tagItems.map(put),
        ...outbox(announced, new Date(item.joinedAt)),
      ]);
      return { status: 'created', consent: 'recorded' };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return undefined;
      const registered = outbox(events && [events.registered], new Date(item.joinedAt));
      return (await putNew(created, registered)) ? { status: 'created', consent: 'unchanged' } : undefined;
    }
  };

  const memberItem = async (merchantId: string, phone: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: memberKey(merchantId, phone), ConsistentRead: true }),
    );
    return Item;
  };

  /** Writes a profile update; a change of tags moves their index items in the same transaction. */
  const writeUpdate = async (
    item: Record<string, unknown>,
    patch: MemberPatch,
    expression: Omit<ReturnType<typeof profileUpdate>, 'attributeCount'>,
    announced: Record<string, unknown>[],
  ): Promise<Member> => {
    const key = memberKey(item.merchantId as string, item.phone as string);
    const tags = tagIndexChange(tableName, item, patch.tags);
    // Tags written whole must replace the tags read, even when their index items stay: a tag added
    // meanwhile would otherwise be dropped from the list and left in the index.
    const guarded =
      patch.tags === undefined
        ? expression
        : {
            ...expression,
            ConditionExpression: `${expression.ConditionExpression} AND ${tags.guard.condition}`,
            ExpressionAttributeNames: { ...expression.ExpressionAttributeNames, ...tags.guard.names },
            ExpressionAttributeValues: { ...expression.ExpressionAttributeValues, ...tags.guard.values },
          };
    if (tags.writes.length === 0 && announced.length === 0) {
      const { Attributes } = await db.send(
        new UpdateCommand({ TableName: tableName, Key: key, ...guarded, ReturnValues: 'ALL_NEW' }),
      );
      return memberSchema.parse(Attributes);
    }
    await transact([
      { Update: { TableName: tableName, Key: key, ...guarded } },
      ...tags.writes,
      ...announced,
    ]);
    return memberSchema.parse(await memberItem(item.merchantId as string, item.phone as string));
  };

  /**
   * The phone's deleted member, back in lists (`listPk`, `listSk`, and `filterPk` for a member deleted
   * before tiers had an index) with their tags' index items.
   */
  const writeRestore = async (item: Record<string, unknown>, at: Date, events?: MemberEvents) => {
    const member = memberSchema.parse(item);
    const { deletedAt: _deletedAt, ...restored } = { ...member, updatedAt: at.toISOString() };
    const filter = member.tier ? ', filterPk = :filterPk' : '';
    await transact([
      {
        Update: {
          TableName: tableName,
          Key: memberKey(member.merchantId, member.phone),
          UpdateExpression: `SET listPk = :listPk, listSk = :listSk, updatedAt = :at${filter} REMOVE deletedAt`,
          // A deleted member's tier and tags do not change (tier and profile writes refuse them).
          ConditionExpression: 'deletedAt = :deletedAt',
          ExpressionAttributeValues: {
            ...listKeyValues(member),
            ':at': at.toISOString(),
            ':deletedAt': member.deletedAt,
            ...(member.tier ? { ':filterPk': tierKey(member.merchantId, member.tier) } : {}),
          },
        },
      },
      ...member.tags.map((tag) => put(tagItem(member, tag))),
      ...outbox(events?.(restored), at),
    ]);
    return memberSchema.parse(await memberItem(member.merchantId, member.phone));
  };

  const store: MembersStore = {
    ...consentRecords(db, tableName, outboxTable),
    async contact(merchantId, phone) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': memberKey(merchantId, phone).pk },
          // A text that follows a join or an opt-out within a second must see it.
          ConsistentRead: true,
        }),
      );
      const contact: Contact = {};
      for (const item of Items) {
        if (item.sk === 'MEMBER') contact.member = memberSchema.parse(item);
        if (item.sk === 'CONSENT') contact.marketing = marketingConsentSchema.parse(item);
        if (item.sk === 'SUPPRESSION') contact.suppression = suppressionSchema.parse(item);
      }
      return contact;
    },

    async register(member) {
      return (await store.create(member)).status === 'created';
    },

    async create(input, optIn, events) {
      const created = newMemberItem(input);
      const { member } = created;
      const at = new Date(member.joinedAt);
      const outcome = optIn
        ? await createWithOptIn(created, optIn, events)
        : (await putNew(created, outbox(events && [events.registered], at))) &&
          ({ status: 'created' } as const);
      if (outcome) return outcome;
      const restored = await store.restore(
        member.merchantId,
        member.phone,
        at,
        events && ((back) => [events.restored(back)]),
      );
      if (restored.status !== 'restored') return { status: 'exists' };
      const consent =
        optIn &&
        (await recordConsent(
          db,
          tableName,
          member.merchantId,
          member.phone,
          optIn,
          { onlyIfFirst: true, events: events?.optedIn && [events.optedIn] },
          outboxTable,
        ));
      return {
        status: 'restored',
        member: restored.member,
        ...(consent ? { consent: consent === 'recorded' ? 'recorded' : 'unchanged' } : {}),
      };
    },

    async update(merchantId, phone, patch, at, events) {
      for (let attempt = 0; attempt < writeAttempts; attempt++) {
        const item = await memberItem(merchantId, phone);
        if (!item) return { status: 'no-member' };
        if (item.deletedAt) return { status: 'deleted', deletedAt: item.deletedAt as string };
        const { attributeCount, ...expression } = profileUpdate(patch, item, at);
        if (attributeCount > maxCustomAttributes) {
          return {
            status: 'too-many-attributes',
            reason: `the member would have ${attributeCount} custom attributes; at most ${maxCustomAttributes}`,
          };
        }
        try {
          const announced = outbox(events?.(memberSchema.parse(item)), at);
          return { status: 'updated', member: await writeUpdate(item, patch, expression, announced) };
        } catch (error) {
          // Deleted, or attributes or tags changed since the read: read again and decide again.
          if (!isConditionFailure(error) && !cancellationCodes(error)) throw error;
        }
      }
      return { status: 'conflict' };
    },

    changeTags(merchantId, phone, change, at, events) {
      return changeTags(db, tableName, merchantId, phone, change, at, (member) =>
        outbox(events?.(member), at),
      );
    },

    list(merchantId, options) {
      return listMembers(db, tableName, merchantId, options);
    },

    count: (merchantId) =>
      countAll(db, {
        TableName: tableName,
        IndexName: 'byMerchant',
        KeyConditionExpression: 'listPk = :merchantId',
        ExpressionAttributeValues: { ':merchantId': merchantId },
      }),

    async softDelete(merchantId, phone, at, events) {
      for (let attempt = 0; attempt < writeAttempts; attempt++) {
        const item = await memberItem(merchantId, phone);
        if (!item) return { status: 'no-member' };
        const member = memberSchema.parse(item);
        if (member.deletedAt) return { status: 'deleted', member, deletedAt: member.deletedAt };
        const guard = tagsAsRead(item);
        try {
          await transact([
            {
              Update: {
                TableName: tableName,
                Key: memberKey(merchantId, phone),
                UpdateExpression: 'SET deletedAt = :at REMOVE listPk, listSk',
                ConditionExpression: `attribute_not_exists(deletedAt) AND ${guard.condition}`,
                ExpressionAttributeNames: guard.names,
                ExpressionAttributeValues: { ':at': at.toISOString(), ...guard.values },
              },
            },
            ...member.tags.map((tag) => remove(tagKey(merchantId, phone, tag))),
            ...outbox(events?.({ ...member, deletedAt: at.toISOString() }), at),
          ]);
          const deletedAt = at.toISOString();
          return { status: 'deleted', member: { ...member, deletedAt }, deletedAt };
        } catch (error) {
          if (!cancellationCodes(error)) throw error;
        }
      }
      return { status: 'conflict' };
    },

    async restore(merchantId, phone, at, events) {
      for (let attempt = 0; attempt < writeAttempts; attempt++) {
        const item = await memberItem(merchantId, phone);
        if (!item) return { status: 'no-member' };
        if (!item.deletedAt) return { status: 'current', member: memberSchema.parse(item) };
        try {
          return { status: 'restored', member: await writeRestore(item, at, events) };
        } catch (error) {
          if (!cancellationCodes(error)) throw error;
        }
      }
      return { status: 'conflict' };
    },

    backfillIndex(merchantId, page) {
      return backfillIndexPage(db, tableName, merchantId, page);
    },

    async byMemberId(merchantId, memberId) {
      const { Items = [] } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'byMemberId',
          KeyConditionExpression: 'idPk = :idPk',
          ExpressionAttributeValues: { ':idPk': idKey(merchantId, memberId).idPk },
        }),
      );
      return Items[0] && memberSchema.parse(Items[0]);
    },
  };
  return store;
}

type NewMember = ReturnType<typeof newMemberItem>;

function listKeyValues(member: Member) {
  const { listPk, listSk } = listKey(member);
  return { ':listPk': listPk, ':listSk': listSk };
}
