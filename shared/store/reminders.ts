import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Reminder, reminderIdSchema, reminderSchema } from '../schemas/reminder';
import { isConditionFailure } from './transactions';

/**
 * Merchant reminders live in the Care table: `pk` = `<merchant>#REMINDER`, `sk` = the reminder id,
 * a ULID, so a merchant's reminders read newest first by walking the partition backwards.
 */
export const remindersPartition = (merchantId: string) => `${merchantId}#REMINDER`;
const keyOf = (merchantId: string, reminderId: string) => ({
  pk: remindersPartition(merchantId),
  sk: reminderId,
});

export interface RemindersPage {
  reminders: Reminder[];
  /** Present while there may be more. */
  cursor?: string;
}

export interface RemindersStore {
  create(reminder: Reminder): Promise<void>;
  get(merchantId: string, reminderId: string): Promise<Reminder | undefined>;
  /** A page of the merchant's reminders, newest first; `cursor` is a reminder id of the previous page. */
  list(merchantId: string, options: { limit: number; cursor?: string }): Promise<RemindersPage>;
  /**
   * Cancels a scheduled reminder and returns it; a reminder already cancelled or sent is returned as it
   * is, and an unknown one as undefined.
   */
  cancel(merchantId: string, reminderId: string, at: Date): Promise<Reminder | undefined>;
  /** Forgets a reminder whose schedule could not be created, so none is listed that will never fire. */
  remove(merchantId: string, reminderId: string): Promise<void>;
  /**
   * Records that an occurrence's text was queued; a one-off (`final`) becomes `sent`. A reminder
   * cancelled meanwhile is left as it is.
   */
  recordOccurrence(
    merchantId: string,
    reminderId: string,
    occurrence: string,
    final: boolean,
    at: Date,
  ): Promise<void>;
  /** The merchant's reminders still to fire: what a scheduler that lost its schedules creates again. */
  scheduled(merchantId: string): Promise<Reminder[]>;
}

export function remindersStore(db: DynamoDBDocumentClient, careTable: string): RemindersStore {
  const parse = ({ pk: _pk, sk: _sk, ...item }: Record<string, unknown>) => reminderSchema.parse(item);
  const get = async (merchantId: string, reminderId: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: careTable, Key: keyOf(merchantId, reminderId), ConsistentRead: true }),
    );
    return Item ? parse(Item) : undefined;
  };

  return {
    async create(reminder) {
      await db.send(
        new PutCommand({
          TableName: careTable,
          Item: { ...keyOf(reminder.merchantId, reminder.reminderId), ...reminderSchema.parse(reminder) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    get,

    async list(merchantId, { limit, cursor }) {
      const start = cursor === undefined ? undefined : reminderIdSchema.parse(cursor);
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: careTable,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': remindersPartition(merchantId) },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: keyOf(merchantId, start) } : {}),
        }),
      );
      return {
        reminders: Items.map(parse),
        ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.sk) } : {}),
      };
    },

    async cancel(merchantId, reminderId, at) {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: careTable,
            Key: keyOf(merchantId, reminderId),
            UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND #status = :scheduled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':cancelled': 'cancelled',
              ':scheduled': 'scheduled',
              ':at': at.toISOString(),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? parse(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return get(merchantId, reminderId);
        throw error;
      }
    },

    async remove(merchantId, reminderId) {
      await db.send(new DeleteCommand({ TableName: careTable, Key: keyOf(merchantId, reminderId) }));
    },

    async recordOccurrence(merchantId, reminderId, occurrence, final, at) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: careTable,
            Key: keyOf(merchantId, reminderId),
            UpdateExpression: final
              ? 'SET lastOccurrence = :occurrence, #status = :sent, sentAt = :at'
              : 'SET lastOccurrence = :occurrence',
            // A deferred occurrence sent after a later one leaves the later one recorded.
            ConditionExpression:
              'attribute_exists(pk) AND #status = :scheduled AND ' +
              '(attribute_not_exists(lastOccurrence) OR lastOccurrence < :occurrence)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':occurrence': occurrence,
              ':scheduled': 'scheduled',
              ...(final ? { ':sent': 'sent', ':at': at.toISOString() } : {}),
            },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async scheduled(merchantId) {
      const found: Reminder[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new QueryCommand({
            TableName: careTable,
            KeyConditionExpression: 'pk = :pk',
            FilterExpression: '#status = :scheduled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pk': remindersPartition(merchantId), ':scheduled': 'scheduled' },
            ExclusiveStartKey: start,
          }),
        );
        found.push(...(page.Items ?? []).map(parse));
        start = page.LastEvaluatedKey;
      } while (start);
      return found;
    },
  };
}
