import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { readApiKey, type StoredKey, secretMatches } from '../domain/api-keys';
import {
  type LoyaltySettings,
  loyaltySettingsSchema,
  type Merchant,
  type MerchantInput,
  merchantSchema,
  type SendingSettings,
  sendingSettingsSchema,
} from '../schemas/merchant';
import { type RetentionSettings, retentionSettingsSchema } from '../schemas/retention';

/**
 * Keys: `MERCHANT#<id>` (profile), `NUMBER#<e164>` (which merchant a number serves) and
 * `APIKEY#<key id>` (which merchant a key belongs to, with the salted hash of its secret).
 */
export interface DirectoryStore {
  merchant(merchantId: string): Promise<Merchant | undefined>;
  merchantByNumber(senderNumber: string): Promise<Merchant | undefined>;
  /** The merchant an API key belongs to; undefined for a malformed, unknown or revoked key. */
  merchantByApiKey(apiKey: string): Promise<Merchant | undefined>;
  /** Creates the merchant, its number and its first key in one transaction; false if any exists. */
  createMerchant(merchant: MerchantInput, key: StoredKey): Promise<boolean>;
  /** Replaces the merchant's loyalty settings (earn rate, points expiry, tier table). */
  setLoyalty(merchantId: string, loyalty: LoyaltySettings): Promise<void>;
  /** Replaces the merchant's sending settings (rate, quiet hours, caps, unsubscribe line …). */
  setSending(merchantId: string, sending: SendingSettings): Promise<void>;
  /** Replaces the merchant's retention settings (churn rules, zone thresholds, scoring hour). */
  setRetention(merchantId: string, retention: RetentionSettings): Promise<void>;
  /** Adds another key to an existing merchant (rotation: add the new key, then revoke the old). */
  addApiKey(merchantId: string, key: StoredKey, at: Date): Promise<void>;
}

export function directoryStore(db: DynamoDBDocumentClient, tableName: string): DirectoryStore {
  const get = async (pk: string) =>
    (await db.send(new GetCommand({ TableName: tableName, Key: { pk } }))).Item as
      | Record<string, unknown>
      | undefined;
  const merchant = async (merchantId: string) => {
    const item = await get(`MERCHANT#${merchantId}`);
    return item ? merchantSchema.parse(item) : undefined;
  };
  /** Replaces one group of an existing merchant's settings as a whole. */
  const replaceSettings = async (
    merchantId: string,
    group: 'loyalty' | 'sending' | 'retention',
    settings: object,
  ) => {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `MERCHANT#${merchantId}` },
        UpdateExpression: 'SET #group = :settings',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#group': group },
        ExpressionAttributeValues: { ':settings': settings },
      }),
    );
  };

  return {
    merchant,
    async merchantByNumber(senderNumber) {
      const item = await get(`NUMBER#${senderNumber}`);
      return item ? merchant(item.merchantId as string) : undefined;
    },
    async merchantByApiKey(apiKey) {
      const parts = readApiKey(apiKey);
      if (!parts) return undefined;
      const item = await get(`APIKEY#${parts.keyId}`);
      if (!item || item.revokedAt || !secretMatches(parts.secret, item as unknown as StoredKey))
        return undefined;
      return merchant(item.merchantId as string);
    },
    setLoyalty: (merchantId, loyalty) =>
      replaceSettings(merchantId, 'loyalty', loyaltySettingsSchema.parse(loyalty)),
    setSending: (merchantId, sending) =>
      replaceSettings(merchantId, 'sending', sendingSettingsSchema.parse(sending)),
    setRetention: (merchantId, retention) =>
      replaceSettings(merchantId, 'retention', retentionSettingsSchema.parse(retention)),
    async addApiKey(merchantId, key, at) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: `APIKEY#${key.keyId}`, ...key, merchantId, createdAt: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async createMerchant(profile, key) {
      const absent = 'attribute_not_exists(pk)';
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tableName,
                  Item: { pk: `MERCHANT#${profile.merchantId}`, ...merchantSchema.parse(profile) },
                  ConditionExpression: absent,
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: { pk: `NUMBER#${profile.senderNumber}`, merchantId: profile.merchantId },
                  ConditionExpression: absent,
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    pk: `APIKEY#${key.keyId}`,
                    ...key,
                    merchantId: profile.merchantId,
                    createdAt: profile.createdAt,
                  },
                  ConditionExpression: absent,
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if ((error as Error).name === 'TransactionCanceledException') return false;
        throw error;
      }
    },
  };
}
