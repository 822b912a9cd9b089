import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
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
  type Suppression,
  type SuppressionEvent,
  suppressionEventSchema,
  suppressionSchema,
} from '../schemas/member';
import type { statsIncrement } from './campaign-stats';
import { queryAll } from './paging';
import { cancellationCodes, isConditionFailure, retryConflicts } from './transactions';

/**
 * One partition per merchant + phone, so a text or an API call finds everything about a phone
 * in one query:
 * - `MEMBER`: the profile and points balance.
 * - `CONSENT`: marketing opt-in/out as it stands, and `CONSENT#<changedAt>#<ref>`: every change,
 *   immutable, written in one transaction with it.
 * - `SUPPRESSION`: marketing held back after a complaint until a person clears it, and
 *   `SUPPRESSION#<at>#<ref>`: every complaint and clearance, immutable.
 * Consent and suppression are kept even for phones that never joined, so an opt-out or a complaint
 * is honoured if they join later.
 *
 * Retention: China's rules on commercial texts ask for proof of consent at least 5 months after an
 * opt-out. The records are never deleted: the table has no TTL and a soft-deleted member's
 * partition stays whole, so the proof lasts as long as the merchant's data does.
 *
 * `<merchant>#<phone>#KEY` / `<kind>#<ref>`: the inbound message or request that made a consent
 * change or a complaint, written in the same transaction, so a retry of it writes nothing new. A
 * partition of its own, so reading a contact does not read them.
 */
export const memberKey = (merchantId: string, phone: string) => ({
  pk: `${merchantId}#${phone}`,
  sk: 'MEMBER',
});
const consentKey = (merchantId: string, phone: string) => ({ pk: `${merchantId}#${phone}`, sk: 'CONSENT' });
const suppressionKey = (merchantId: string, phone: string) => ({
  pk: `${merchantId}#${phone}`,
  sk: 'SUPPRESSION',
});
const refKey = (merchantId: string, phone: string, kind: 'consent' | 'complaint', ref: string) => ({
  pk: `${merchantId}#${phone}#KEY`,
  sk: `${kind}#${ref}`,
});

/** A campaign counter (`statsIncrement`) moved in the same transaction as the change it counts. */
export type CampaignCount = NonNullable<ReturnType<typeof statsIncrement>>;

export type ConsentOutcome =
  /** The status changed; the change is on record. */
  | 'recorded'
  /** The same ref made a change before: a retry, and nothing new was written. */
  | 'replayed'
  /** The phone already had that status (or, for a first choice, had already chosen): nothing written. */
  | 'unchanged';

export interface ConsentOptions {
  /**
   * Record only if the phone has never chosen. Joining, a new member and an import opt in this way:
   * they never override a choice the customer made before, such as texting TD before joining.
   */
  onlyIfFirst?: boolean;
  /** The campaign counter the change moves (an opt-out answering a campaign), once however often retried. */
  count?: CampaignCount;
}

/** All a phone's consent and complaint history, for proof of consent. */
export interface ConsentExport {
  marketing?: MarketingConsent;
  suppression?: Suppression;
  /** Every consent change, oldest first. */
  consent: MarketingConsent[];
  /** Every complaint and every clearance, oldest first. */
  suppressionHistory: SuppressionEvent[];
}

export type ClearOutcome =
  | { status: 'cleared'; suppression: Suppression }
  | { status: 'not-suppressed' }
  /** Another complaint or clearance kept arriving at the same time; nothing was written. */
  | { status: 'conflict' };

export interface Clearance {
  at: Date;
  clearedBy: string;
  note: string;
  /** The request that clears it. */
  ref: string;
}

/** The writes of one consent change: the state, its immutable record, and the retry guard. */
function consentWrites(
  tableName: string,
  merchantId: string,
  phone: string,
  consent: MarketingConsent,
  onlyIfFirst: boolean,
) {
  const record = marketingConsentSchema.parse(consent);
  const current = consentKey(merchantId, phone);
  return [
    {
      Put: {
        TableName: tableName,
        Item: { ...current, ...record },
        ...(onlyIfFirst
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'attribute_not_exists(pk) OR #status <> :status',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':status': record.status },
            }),
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { pk: current.pk, sk: `CONSENT#${record.changedAt}#${record.ref}`, ...record },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: { ...refKey(merchantId, phone, 'consent', record.ref), at: record.changedAt },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Whether a retry guard is there: a cancelled write was a retry of one already made. */
async function wasMade(db: DynamoDBDocumentClient, tableName: string, key: Record<string, string>) {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  return Item !== undefined;
}

/**
 * Records a consent change with its immutable record, in one transaction. Exported for the member
 * import, which writes opt-ins without a store.
 */
export async function recordConsent(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  phone: string,
  consent: MarketingConsent,
  { onlyIfFirst = false, count }: ConsentOptions = {},
): Promise<ConsentOutcome> {
  const writes = [
    ...consentWrites(tableName, merchantId, phone, consent, onlyIfFirst),
    ...(count ? [count] : []),
  ];
  try {
    await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: writes })));
    return 'recorded';
  } catch (error) {
    if (!cancellationCodes(error)?.includes('ConditionalCheckFailed')) throw error;
    const retried = await wasMade(db, tableName, refKey(merchantId, phone, 'consent', consent.ref));
    return retried ? 'replayed' : 'unchanged';
  }
}

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
  /**
   * Marks the member deleted and takes them out of lists; the item and the ledger stay. Deleting
   * again changes nothing and answers with the first `deletedAt`.
   */
  softDelete(merchantId: string, phone: string, at: Date): Promise<DeleteOutcome>;
  /** The member with this id, deleted or not; read from an index, so a write may take a moment to show. */
  byMemberId(merchantId: string, memberId: string): Promise<Member | undefined>;
  /** Records a consent change, immutable, with the state it leads to. */
  recordMarketingConsent(
    merchantId: string,
    phone: string,
    consent: MarketingConsent,
    options?: ConsentOptions,
  ): Promise<ConsentOutcome>;
  /** Every consent change and complaint of the phone, member or not. */
  consentExport(merchantId: string, phone: string): Promise<ConsentExport>;
  /**
   * Holds marketing back from the phone until a person clears it, and keeps the complaint on record.
   * A complaint while already suppressed is recorded too, and the suppression shows the latest one.
   */
  recordComplaint(
    merchantId: string,
    phone: string,
    complaint: Suppression,
    options?: { count?: CampaignCount },
  ): Promise<'recorded' | 'replayed'>;
  /** Lets marketing go to the phone again (if it is subscribed), recording who cleared it and why. */
  clearSuppression(merchantId: string, phone: string, clearance: Clearance): Promise<ClearOutcome>;
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

    recordMarketingConsent(merchantId, phone, consent, options) {
      return recordConsent(db, tableName, merchantId, phone, consent, options);
    },

    async consentExport(merchantId, phone) {
      const found: ConsentExport = { consent: [], suppressionHistory: [] };
      const items = queryAll(db, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': consentKey(merchantId, phone).pk },
        ConsistentRead: true,
      });
      // Sort keys order the records by time: `CONSENT#<changedAt>#…`, `SUPPRESSION#<at>#…`.
      for await (const { pk: _pk, sk, ...item } of items) {
        const kind = String(sk);
        if (kind === 'CONSENT') found.marketing = marketingConsentSchema.parse(item);
        else if (kind === 'SUPPRESSION') found.suppression = suppressionSchema.parse(item);
        else if (kind.startsWith('CONSENT#')) found.consent.push(marketingConsentSchema.parse(item));
        else if (kind.startsWith('SUPPRESSION#'))
          found.suppressionHistory.push(suppressionEventSchema.parse(item));
      }
      return found;
    },

    async recordComplaint(merchantId, phone, complaint, { count } = {}) {
      const suppression = suppressionSchema.parse(complaint);
      const { pk } = suppressionKey(merchantId, phone);
      const marker = refKey(merchantId, phone, 'complaint', suppression.ref);
      const writes = [
        { Put: { TableName: tableName, Item: { ...suppressionKey(merchantId, phone), ...suppression } } },
        {
          Put: {
            TableName: tableName,
            Item: {
              pk,
              sk: `SUPPRESSION#${suppression.at}#${suppression.ref}`,
              event: 'complaint',
              ...suppression,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { ...marker, at: suppression.at },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...(count ? [count] : []),
      ];
      try {
        await retryConflicts(() => db.send(new TransactWriteCommand({ TransactItems: writes })));
        return 'recorded';
      } catch (error) {
        if (!cancellationCodes(error)?.includes('ConditionalCheckFailed')) throw error;
        return 'replayed';
      }
    },

    async clearSuppression(merchantId, phone, { at, clearedBy, note, ref }) {
      const key = suppressionKey(merchantId, phone);
      for (let attempt = 0; attempt < updateAttempts; attempt++) {
        const { Item } = await db.send(
          new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
        );
        if (!Item) return { status: 'not-suppressed' };
        const { pk: _pk, sk: _sk, ...current } = Item;
        const suppression = suppressionSchema.parse(current);
        const cleared: SuppressionEvent = {
          event: 'cleared',
          at: at.toISOString(),
          clearedBy,
          note,
          ref,
          complaintRef: suppression.ref,
        };
        try {
          await db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  // Only the complaint read: one arriving meanwhile is not cleared unseen.
                  Delete: {
                    TableName: tableName,
                    Key: key,
                    ConditionExpression: '#ref = :ref',
                    ExpressionAttributeNames: { '#ref': 'ref' },
                    ExpressionAttributeValues: { ':ref': suppression.ref },
                  },
                },
                {
                  Put: {
                    TableName: tableName,
                    Item: { pk: key.pk, sk: `SUPPRESSION#${cleared.at}#${ref}`, ...cleared },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ],
            }),
          );
          return { status: 'cleared', suppression };
        } catch (error) {
          if (!cancellationCodes(error)) throw error;
        }
      }
      return { status: 'conflict' };
    },
  };
  return store;
}
