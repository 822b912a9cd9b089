import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { type Contact, marketingConsentSchema, suppressionSchema } from '../../schemas/member';
import { consentKey, suppressionKey } from './keys';

/** What marketing may go to a phone: its consent and any complaint holding marketing back. */
export type MarketingStanding = Pick<Contact, 'marketing' | 'suppression'>;

/** Many phones' standing at once: an audience's reach is read a page of members at a time. */
export interface ConsentReader {
  /** Each phone's standing; a phone with neither item stands as `{}`. */
  standings(merchantId: string, phones: readonly string[]): Promise<Map<string, MarketingStanding>>;
}

/** BatchGetItem takes 100 keys: two per phone. */
const phonesPerRead = 50;
/** Rounds for the keys DynamoDB leaves unprocessed when throttled. */
const readAttempts = 5;

export function consentReader(db: DynamoDBDocumentClient, tableName: string): ConsentReader {
  async function readBatch(
    merchantId: string,
    phones: readonly string[],
    into: Map<string, MarketingStanding>,
  ) {
    let keys: Record<string, unknown>[] | undefined = phones.flatMap((phone) => [
      consentKey(merchantId, phone),
      suppressionKey(merchantId, phone),
    ]);
    for (let attempt = 1; keys && keys.length > 0; attempt++) {
      if (attempt > readAttempts) throw new Error(`DynamoDB left ${keys.length} consents unread`);
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const { Responses, UnprocessedKeys }: BatchGetCommandOutput = await db.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
      );
      for (const item of Responses?.[tableName] ?? []) {
        const phone = String(item.pk).slice(merchantId.length + 1);
        const standing = into.get(phone) ?? {};
        if (item.sk === 'CONSENT') standing.marketing = marketingConsentSchema.parse(item);
        if (item.sk === 'SUPPRESSION') standing.suppression = suppressionSchema.parse(item);
        into.set(phone, standing);
      }
      keys = UnprocessedKeys?.[tableName]?.Keys;
    }
  }

  return {
    async standings(merchantId, phones) {
      const found = new Map<string, MarketingStanding>(phones.map((phone) => [phone, {}]));
      const batches = Array.from({ length: Math.ceil(phones.length / phonesPerRead) }, (_, i) =>
        phones.slice(i * phonesPerRead, (i + 1) * phonesPerRead),
      );
      await Promise.all(batches.map((batch) => readBatch(merchantId, batch, found)));
      return found;
    },
  };
}
