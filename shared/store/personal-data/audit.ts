import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Pseudonyms } from '../../domain/phone-proof';
import { queryAll } from '../paging';

/**
 * The audit log names the phone a change touched (`ids.phone`): after an erasure, each such entry
 * names its proof instead, so the log still shows who changed what and when, about someone no one
 * reading it can name. Reads the merchant's log with the phone as a filter: an erasure is rare.
 */
export async function eraseFromAudit(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  { phone, proof }: Pseudonyms,
): Promise<number> {
  let entries = 0;
  for await (const entry of queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    FilterExpression: 'ids.phone = :phone',
    ExpressionAttributeValues: { ':pk': merchantId, ':phone': phone },
    ProjectionExpression: 'pk, sk',
  })) {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: entry.pk, sk: entry.sk },
        UpdateExpression: 'SET ids.phone = :proof',
        ExpressionAttributeValues: { ':proof': proof },
      }),
    );
    entries += 1;
  }
  return entries;
}
