import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import {
  type Contact,
  type MarketingConsent,
  type Member,
  type MemberInput,
  type MemberPatch,
  marketingConsentSchema,
  maxCustomAttributes,
  memberSchema,
} from '../schemas/member';
import { isConditionFailure } from './transactions';

/**
 * One partition per merchant + phone, so a text or an API call finds everything about a phone
 * in one query: `MEMBER` (the profile and points balance) and `CONSENT` (marketing opt-in/out,
 * kept even for phones that never joined so an opt-out is honoured if they join later).
 */
export const memberKey = (merchantId: string, phone: string) => ({
  pk: `${merchantId}#${phone}`,
  sk: 'MEMBER',
});
const consentKey = (merchantId: string, phone: string) => ({ pk: `${merchantId}#${phone}`, sk: 'CONSENT' });

/** `byMerchant`: a merchant's current members, newest last by join time (the member id breaks ties). */
const listKey = (member: Pick<Member, 'merchantId' | 'joinedAt' | 'memberId'>) => ({
  listPk: member.merchantId,
  listSk: `${member.joinedAt}#${member.memberId}`,
});
/** `byMemberId`: ledger and claim records carry only the member id. */
const idKey = (merchantId: string, memberId: string) => ({ idPk: `${merchantId}#${memberId}` });

/**
 * `byBirthday` (`<merchant>#<MM-DD>`) and `byJoinDay` (`<merchant>#<MM-DD>` of the UTC join date):
 * the care jobs find the day's birthdays and anniversaries through these, never by scanning.
 */
export const birthdayKey = (merchantId: string, monthDay: string) => `${merchantId}#${monthDay}`;
export const joinDayKey = (merchantId: string, monthDay: string) => `${merchantId}#${monthDay}`;

/** A new member's item: the member with its key and the attributes its indexes are built from. */
export function newMemberItem(input: MemberInput) {
  const member = memberSchema.parse(input);
  const item = {
    ...memberKey(member.merchantId, member.phone),
    ...listKey(member),
    ...idKey(member.merchantId, member.memberId),
    joinDayPk: joinDayKey(member.merchantId, member.joinedAt.slice(5, 10)),
    ...(member.birthday ? { birthdayPk: birthdayKey(member.merchantId, member.birthday.slice(5)) } : {}),
    ...member,
  };
  return { item, member };
}

export type CreateOutcome =
  | { status: 'created' }
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

/** A list cursor that is malformed or was not issued for this merchant's list. */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this list returned; start again without it');
    this.name = 'InvalidCursorError';
  }
}

export const maxPageSize = 100;
export const defaultPageSize = 50;

export interface MembersStore {
  contact(merchantId: string, phone: string): Promise<Contact>;
  /** Creates the member unless the phone already is one; returns whether it did. */
  register(member: MemberInput): Promise<boolean>;
  /** Creates the member unless the phone already is one, or was one and was deleted. */
  create(member: MemberInput): Promise<CreateOutcome>;
  /**
   * Changes profile fields only. Balances and tiers on the same item belong to the ledger and
   * tier jobs: they are never written here, so a concurrent earn is never lost.
   */
  update(merchantId: string, phone: string, patch: MemberPatch, at: Date): Promise<UpdateOutcome>;
  /** A page of the merchant's current members, newest first. */
  list(merchantId: string, options?: ListOptions): Promise<MembersPage>;
  /**
   * Marks the member deleted and takes them out of lists; the item and the ledger stay. Deleting
   * again changes nothing and answers with the first `deletedAt`.
   */
  softDelete(merchantId: string, phone: string, at: Date): Promise<DeleteOutcome>;
  /** The member with this id, deleted or not; read from an index, so a write may take a moment to show. */
  byMemberId(merchantId: string, memberId: string): Promise<Member | undefined>;
  /** Records a consent change; returns false when the status already was that. */
  recordMarketingConsent(merchantId: string, phone: string, consent: MarketingConsent): Promise<boolean>;
}

/** Attempts at a profile update while other updates change the same member's attributes. */
const updateAttempts = 3;

const cursorSchema = z.strictObject({
  pk: z.string(),
  sk: z.string(),
  listPk: z.string(),
  listSk: z.string(),
});

function encodeCursor(lastKey: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(lastKey)).toString('base64url');
}

/** The cursor's start key, only if it lies in this merchant's list: it must not reach another's. */
function decodeCursor(merchantId: string, cursor: string): Record<string, string> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const key = cursorSchema.safeParse(decoded);
  if (
    !key.success ||
    key.data.listPk !== merchantId ||
    !key.data.pk.startsWith(`${merchantId}#`) ||
    key.data.sk !== 'MEMBER'
  ) {
    throw new InvalidCursorError();
  }
  return key.data;
}

/**
 * The UpdateExpression for a patch, given the item as read. Attributes are set and removed one by
 * one (nested paths), so two patches of different attributes both land; the guards keep the
 * count within the cap even when another patch adds attributes at the same time.
 */
export function profileUpdate(patch: MemberPatch, item: Record<string, unknown>, at: Date) {
  const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':updatedAt': at.toISOString() };
  const set = ['#updatedAt = :updatedAt'];
  const remove: string[] = [];
  const guards = ['attribute_exists(pk)', 'attribute_not_exists(deletedAt)'];

  for (const field of ['name', 'gender', 'birthday', 'city', 'tags'] as const) {
    const value = patch[field];
    if (value === undefined) continue;
    names[`#${field}`] = field;
    if (value === null) remove.push(`#${field}`);
    else {
      values[`:${field}`] = value;
      set.push(`#${field} = :${field}`);
    }
  }
  // The birthday index follows the birthday.
  if (patch.birthday === null) remove.push('birthdayPk');
  else if (patch.birthday !== undefined) {
    values[':birthdayPk'] = birthdayKey(item.merchantId as string, patch.birthday.slice(5));
    set.push('birthdayPk = :birthdayPk');
  }

  let attributeCount = 0;
  if (patch.attributes) {
    const current = (item.attributes ?? {}) as Record<string, unknown>;
    const has = (name: string) => Object.hasOwn(current, name);
    // Setting an absent name adds one; removing an absent name does nothing and is left out.
    const entries = Object.entries(patch.attributes).filter(([name, value]) => value !== null || has(name));
    const added = entries.filter(([name, value]) => value !== null && !has(name)).length;
    const removed = entries.filter(([, value]) => value === null).length;
    attributeCount = Object.keys(current).length + added - removed;
    if (item.attributes === undefined && entries.length > 0) {
      // Members written before custom attributes existed have no map to set paths in.
      names['#attributes'] = 'attributes';
      values[':attributes'] = Object.fromEntries(entries);
      set.push('#attributes = :attributes');
      guards.push('attribute_not_exists(#attributes)');
    } else if (entries.length > 0) {
      names['#attributes'] = 'attributes';
      for (const [i, [name, value]] of entries.entries()) {
        const path = `#attributes.#a${i}`;
        names[`#a${i}`] = name;
        if (value === null) remove.push(path);
        else {
          values[`:a${i}`] = value;
          set.push(`${path} = :a${i}`);
        }
        // What was read as present must still be, or the count below would be wrong.
        if (has(name)) guards.push(`attribute_exists(${path})`);
      }
      if (added > 0) {
        values[':room'] = maxCustomAttributes - added + removed;
        guards.push('size(#attributes) <= :room');
      }
    }
  }
  return {
    attributeCount,
    UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
    ConditionExpression: guards.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export function membersStore(db: DynamoDBDocumentClient, tableName: string): MembersStore {
  const putIf = async (
    item: Record<string, unknown>,
    condition: string,
    values?: Record<string, unknown>,
  ) => {
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(values ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };

  const memberItem = async (merchantId: string, phone: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: memberKey(merchantId, phone), ConsistentRead: true }),
    );
    return Item;
  };

  const store: MembersStore = {
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
      }
      return contact;
    },

    async register(member) {
      return (await store.create(member)).status === 'created';
    },

    async create(input) {
      const { item, member } = newMemberItem(input);
      if (await putIf(item, 'attribute_not_exists(pk)')) return { status: 'created' };
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

    recordMarketingConsent(merchantId, phone, consent) {
      return putIf(
        { ...consentKey(merchantId, phone), ...marketingConsentSchema.parse(consent) },
        'attribute_not_exists(pk) OR #status <> :status',
        { ':status': consent.status },
      );
    },
  };
  return store;
}
