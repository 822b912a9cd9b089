import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Pseudonyms } from '../../domain/phone-proof';
import { forgottenHeld, forgottenSent } from '../messages';
import { listAll, queryAll } from '../paging';

/** A text sent to the phone, as its export shows it. */
export type SentTextRecord = Record<string, unknown>;

const byRecipient = (tableName: string, merchantId: string, phone: string) => ({
  TableName: tableName,
  IndexName: 'byRecipient',
  KeyConditionExpression: 'recipientPk = :recipient',
  ExpressionAttributeValues: { ':recipient': `${merchantId}#${phone}` },
});

/** The texts sent to the phone, oldest first, from the `byRecipient` index (only sent texts are in it). */
export async function textsSentTo(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  phone: string,
): Promise<SentTextRecord[]> {
  return listAll(db, byRecipient(tableName, merchantId, phone), ['pk', 'recipientPk', 'merchantId']);
}

/**
 * Each text sent to the phone keeps its outcome, parts and cost (the campaign's stats and the bill
 * stay true) and loses its words: `body` and `text` are removed, the phone becomes its proof. Texts
 * not sent hold the proof already (shared/store/messages.ts).
 */
export async function eraseFromMessages(
  db: DynamoDBDocumentClient,
  tableName: string,
  merchantId: string,
  pseudonyms: Pseudonyms,
): Promise<number> {
  let texts = 0;
  for await (const record of queryAll(db, {
    ...byRecipient(tableName, merchantId, pseudonyms.phone),
    ProjectionExpression: 'pk',
  })) {
    await db.send(
      new UpdateCommand(forgottenSent(tableName, record.pk as string, merchantId, pseudonyms.proof)),
    );
    texts += 1;
  }
  // Texts held over a carrier cap keep their words to be released: never released now, and out of
  // the held index, so neither released nor expired later. (Texts not sent keep no words.)
  for await (const record of queryAll(db, {
    TableName: tableName,
    IndexName: 'byHeld',
    KeyConditionExpression: 'heldPk = :merchant',
    FilterExpression: '#to = :phone',
    ExpressionAttributeNames: { '#to': 'to' },
    ExpressionAttributeValues: { ':merchant': merchantId, ':phone': pseudonyms.phone },
    ProjectionExpression: 'pk',
  })) {
    await db.send(new UpdateCommand(forgottenHeld(tableName, record.pk as string, pseudonyms.proof)));
    texts += 1;
  }
  return texts;
}
