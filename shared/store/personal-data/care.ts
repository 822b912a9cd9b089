import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { erasedText, type Pseudonyms } from '../../domain/phone-proof';
import { listAll, queryAll } from '../paging';
import { remindersPartition } from '../reminders';

const remindersTo = (tableName: string, merchantId: string, phone: string) => ({
  TableName: tableName,
  KeyConditionExpression: 'pk = :pk',
  FilterExpression: '#to.phone = :phone',
  ExpressionAttributeNames: { '#to': 'to' },
  ExpressionAttributeValues: { ':pk': remindersPartition(merchantId), ':phone': phone },
});

/** The reminders the merchant set for the phone, newest last, without the table's keys. */
export async function remindersFor(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  phone: string,
): Promise<Record<string, unknown>[]> {
  return listAll(db, remindersTo(tableName, merchantId, phone), ['pk', 'sk', 'merchantId']);
}

/**
 * Reminders for the phone are cancelled (their schedule then finds nothing to send when it fires)
 * and keep no phone and no text: a template the merchant wrote for one member often names them.
 */
export async function eraseFromCare(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  { phone, proof }: Pseudonyms,
  at: Date,
): Promise<number> {
  let reminders = 0;
  for await (const reminder of queryAll(db, remindersTo(tableName, merchantId, phone))) {
    const cancel = reminder.status === 'scheduled';
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: reminder.pk, sk: reminder.sk },
        UpdateExpression: `SET #to = :to, template = :erased${cancel ? ', #status = :cancelled, cancelledAt = :at' : ''}`,
        ExpressionAttributeNames: { '#to': 'to', ...(cancel ? { '#status': 'status' } : {}) },
        ExpressionAttributeValues: {
          ':to': { phone: proof },
          ':erased': erasedText,
          ...(cancel ? { ':cancelled': 'cancelled', ':at': at.toISOString() } : {}),
        },
      }),
    );
    reminders += 1;
  }
  return reminders;
}
