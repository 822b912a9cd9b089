import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { scanAll } from '../paging';

/**
 * Events committed with the member's writes name their phone (`member.consent-changed`,
 * `sms.received`, `member.complained`); the Outbox keeps them a day after they are published, so
 * they are deleted now. The table holds a day's events and has no index by phone: a filtered scan,
 * as rare as erasures are. An event not published yet is lost with them: it was about this phone.
 */
export async function eraseFromOutbox(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  phone: string,
): Promise<number> {
  let events = 0;
  for await (const { pk } of scanAll(db, {
    TableName: tableName,
    FilterExpression: 'begins_with(pk, :merchant) AND detail.phone = :phone',
    ExpressionAttributeValues: { ':merchant': `${merchantId}#`, ':phone': phone },
    ProjectionExpression: 'pk',
  })) {
    await db.send(new DeleteCommand({ TableName: tableName, Key: { pk } }));
    events += 1;
  }
  return events;
}
