import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
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
import { countAll } from '../paging';
import { cancellationCodes, isConditionFailure, retryConflicts } from '../transactions';
import { type ConsentRecords, consentRecords, consentWrites } from './consent';
import { decodeCursor, encodeCursor } from './cursor';
import { idKey, memberKey, newMemberItem } from './keys';
import { profileUpdate } from './profile-update';

export type CreateOutcome =
  /** `consent`: with an opt-in, whether it was recorded or the phone had already chosen. */
  | { status: 'created'; consent?: 'recorded' | 'unchanged' }
  | { status: 'exists' }
  /**
   * The phone belonged to a member who was deleted. The item stays (its ledger and history point
   * at it), so the phone cannot join again until a merchant-facing restore exists.
   */
  | { status: 'exists-deleted'; deletedAt: string; reason: string };

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
  | { status: 'no-member' };

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
  /** Present while there may be more members. */
  cursor?: string;
}

export const maxPageSize = 100;
export const defaultPageSize = 50;

export interface MembersStore extends ConsentRecords {
  contact(merchantId: string, phone: string): Promise<Contact>;
  /** Creates the member unless the phone already is one; returns whether it did. */
  register(member: MemberInput): Promise<boolean>;
  /**
   * Creates the member unless the phone already is one, or was one and was deleted. `optIn`, the
   * customer's consent given with joining, is recorded with the member unless the phone already chose.
   */
  create(member: MemberInput, optIn?: MarketingConsent): Promise<CreateOutcome>;
  /**
   * Changes profile fields only. Balances and tiers on the same item belong to the ledger and
   * tier jobs: they are never written here, so a concurrent earn is never lost.
   */
  update(merchantId: string, phone: string, patch: MemberPatch, at: Date): Promise<UpdateOutcome>;
  /** A page of the merchant's current members, newest first. */
  list(merchantId: string, options?: ListOptions): Promise<MembersPage>;
  /** How many current members the merchant has, counted from the list's index (deleted ones are not in it). */
  count(merchantId: string): Promise<number>;
  /**
   * Marks the member deleted and takes them out of lists; the item and the ledger stay. Deleting
   * again changes nothing and answers with the first `deletedAt`.
   */
  softDelete(merchantId: string, phone: string, at: Date): Promise<DeleteOutcome>;
  /** The member with this id, deleted or not; read from an index, so a write may take a moment to show. */
  byMemberId(merchantId: string, memberId: string): Promise<Member | undefined>;
}

/** Attempts at a profile update while other updates change the same member's attributes. */
const updateAttempts = 3;

export function membersStore(db: DynamoDBDocumentClient, tableName: string): MembersStore {
  /** Puts a new item; false when the phone already has one. */
  const putNew = async (item: Record<string, unknown>) => {
    try {
      await db.send(
        new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };

  /**
   * The member and the opt-in in one transaction, so a retry after a crash cannot leave the member
   * without the consent it was created with. A phone that already chose keeps its choice: the
   * member is then created alone.
   */
  const createWithOptIn = async (
    item: ReturnType<typeof newMemberItem>['item'],
    optIn: MarketingConsent,
  ): Promise<CreateOutcome | undefined> => {
    const memberPut = {
      Put: { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
    };
    const consent = consentWrites(tableName, item.merchantId, item.phone, optIn, true);
    try {
      await retryConflicts(() =>
        db.send(new TransactWriteCommand({ TransactItems: [memberPut, ...consent] })),
      );
      return { status: 'created', consent: 'recorded' };
    } catch (error) {
      const codes = cancellationCodes(error);
      if (!codes) throw error;
      if (codes[0] === 'ConditionalCheckFailed') return undefined;
      return (await putNew(item)) ? { status: 'created', consent: 'unchanged' } : undefined;
    }
  };

  const memberItem = async (merchantId: string, phone: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: memberKey(merchantId, phone), ConsistentRead: true }),
    );
    return Item;
  };

  const store: MembersStore = {
    ...consentRecords(db, tableName),
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

    async create(input, optIn) {
      const { item, member } = newMemberItem(input);
      const created = optIn
        ? await createWithOptIn(item, optIn)
        : (await putNew(item)) && ({ status: 'created' } as const);
      if (created) return created;
      const existing = await memberItem(member.merchantId, member.phone);
      const deletedAt = existing?.deletedAt as string | undefined;
      if (!deletedAt) return { status: 'exists' };
      return {
        status: 'exists-deleted',
        deletedAt,
        reason: `${member.phone} was a member until ${deletedAt}; a deleted member cannot join again`,
      };
    },

    async update(merchantId, phone, patch, at) {
      for (let attempt = 0; attempt < updateAttempts; attempt++) {
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
          const { Attributes } = await db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: memberKey(merchantId, phone),
              ...expression,
              ReturnValues: 'ALL_NEW',
            }),
          );
          return { status: 'updated', member: memberSchema.parse(Attributes) };
        } catch (error) {
          // Deleted, or attributes changed since the read: read again and decide again.
          if (!isConditionFailure(error)) throw error;
        }
      }
      return { status: 'conflict' };
    },

    async list(merchantId, { limit = defaultPageSize, cursor, tag, tier } = {}) {
      if (!Number.isInteger(limit) || limit < 1 || limit > maxPageSize) {
        throw new RangeError(`limit must be a whole number from 1 to ${maxPageSize}`);
      }
      const filters: string[] = [];
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':merchantId': merchantId };
      if (tag !== undefined) {
        filters.push('contains(#tags, :tag)');
        names['#tags'] = 'tags';
        values[':tag'] = tag;
      }
      if (tier !== undefined) {
        filters.push('#tier = :tier');
        names['#tier'] = 'tier';
        values[':tier'] = tier;
      }
      // DynamoDB applies Limit before FilterExpression: a filtered page may hold fewer than
      // `limit` members (even none) and still carry a cursor; the next page continues from it.
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'byMerchant',
          KeyConditionExpression: 'listPk = :merchantId',
          FilterExpression: filters.length ? filters.join(' AND ') : undefined,
          ExpressionAttributeNames: filters.length ? names : undefined,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(merchantId, cursor),
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      return {
        members: Items.map((item) => memberSchema.parse(item)),
        ...(LastEvaluatedKey ? { cursor: encodeCursor(LastEvaluatedKey) } : {}),
      };
    },

    count: (merchantId) =>
      countAll(db, {
        TableName: tableName,
        IndexName: 'byMerchant',
        KeyConditionExpression: 'listPk = :merchantId',
        ExpressionAttributeValues: { ':merchantId': merchantId },
      }),

    async softDelete(merchantId, phone, at) {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: memberKey(merchantId, phone),
            UpdateExpression: 'SET deletedAt = if_not_exists(deletedAt, :at) REMOVE listPk, listSk',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': at.toISOString() },
            ReturnValues: 'ALL_NEW',
          }),
        );
        const member = memberSchema.parse(Attributes);
        return { status: 'deleted', member, deletedAt: member.deletedAt ?? at.toISOString() };
      } catch (error) {
        if (isConditionFailure(error)) return { status: 'no-member' };
        throw error;
      }
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
