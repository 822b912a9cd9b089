import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '../../../events/catalog';
import {
  type MarketingConsent,
  marketingConsentSchema,
  type Suppression,
  type SuppressionEvent,
  suppressionEventSchema,
  suppressionSchema,
} from '../../schemas/member';
import type { statsIncrement } from '../campaign-stats';
import { eventPuts } from '../outbox';
import { queryAll } from '../paging';
import { cancellationCodes, retryConflicts } from '../transactions';
import { consentKey, refKey, suppressionKey } from './keys';

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
  /** The events the change tells of, committed with it in the outbox: none when nothing changes. */
  events?: DomainEvent[];
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

/** A phone's consent and complaints, member or not: the part of the members store that keeps them. */
export interface ConsentRecords {
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
    options?: { count?: CampaignCount; events?: DomainEvent[] },
  ): Promise<'recorded' | 'replayed'>;
  /** Lets marketing go to the phone again (if it is subscribed), recording who cleared it and why. */
  clearSuppression(merchantId: string, phone: string, clearance: Clearance): Promise<ClearOutcome>;
}

/** Attempts at a clearance while other complaints or clearances of the phone keep arriving. */
const clearAttempts = 3;

/** The writes of one consent change: the state, its immutable record, and the retry guard. */
export function consentWrites(
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
  { onlyIfFirst = false, count, events }: ConsentOptions = {},
  outboxTable?: string,
): Promise<ConsentOutcome> {
  const writes = [
    ...consentWrites(tableName, merchantId, phone, consent, onlyIfFirst),
    ...(count ? [count] : []),
    ...eventPuts(outboxTable, events, new Date(consent.changedAt)),
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

export function consentRecords(
  db: DynamoDBDocumentClient,
  tableName: string,
  outboxTable?: string,
): ConsentRecords {
  return {
    recordMarketingConsent(merchantId, phone, consent, options) {
      return recordConsent(db, tableName, merchantId, phone, consent, options, outboxTable);
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

    async recordComplaint(merchantId, phone, complaint, { count, events } = {}) {
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
        ...eventPuts(outboxTable, events, new Date(suppression.at)),
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
      for (let attempt = 0; attempt < clearAttempts; attempt++) {
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
}
