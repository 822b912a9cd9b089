import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { memberPk } from '../ledger/keys';
import { listAll, queryAll } from '../paging';

/**
 * The Ledger table under an erased member: entries hold amounts, reasons and the member id, never the
 * phone, and stay as the books. Points lots carry the phone for the expiry job: they leave its index
 * and lose the phone, so an erased member's points no longer expire (no one could be told) and the
 * lots' points still add up to the balance kept on the erased record.
 */
export async function eraseFromLedger(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  memberId: string,
): Promise<number> {
  let lots = 0;
  for await (const lot of queryAll(db, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :lot)',
    // Lots erased before have no phone: erasing again finds none.
    FilterExpression: 'attribute_exists(phone)',
    ExpressionAttributeValues: { ':pk': memberPk(merchantId, memberId), ':lot': 'LOT#' },
    ProjectionExpression: 'pk, sk',
  })) {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: lot.pk, sk: lot.sk },
        UpdateExpression: 'REMOVE phone, expiryPk, expirySk',
      }),
    );
    lots += 1;
  }
  return lots;
}

/** Every entry of the member's books, oldest first, without the table's keys. */
export async function ledgerEntriesOf(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  memberId: string,
): Promise<Record<string, unknown>[]> {
  return listAll(
    db,
    {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :entry)',
      ExpressionAttributeValues: { ':pk': memberPk(merchantId, memberId), ':entry': 'ENTRY#' },
    },
    ['pk', 'sk'],
  );
}
