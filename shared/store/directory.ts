import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ApiKey, apiKeySchema, readApiKey, type StoredKey, secretMatches } from '../domain/api-keys';
import type { Store } from '../domain/stores';
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
import { queryAll } from './paging';
import { cancellationCodes, isConditionFailure, retryConflicts } from './transactions';

/**
 * Keys: `MERCHANT#<id>` (profile), `NUMBER#<e164>` (which merchant a number serves) and
 * `APIKEY#<key id>` (which merchant a key belongs to, with the salted hash of its secret, its name,
 * last four characters, and when it was made and revoked). A merchant's keys are listed from the
 * `keysByMerchant` index (`merchantId`, `keyId`): only key items carry a `keyId`, so it holds
 * nothing else, and it lists keys made before the index as well.
 */
export interface DirectoryStore {
  merchant(merchantId: string): Promise<Merchant | undefined>;
  merchantByNumber(senderNumber: string): Promise<Merchant | undefined>;
  /** The merchant an API key belongs to; undefined for a malformed, unknown or revoked key. */
  merchantByApiKey(apiKey: string): Promise<Merchant | undefined>;
  /** Creates the merchant, its number and its first key in one transaction; false if any exists. */
  createMerchant(merchant: MerchantInput, key: StoredKey): Promise<boolean>;
  /** Replaces the merchant's loyalty settings (earn rate, points expiry, tier table). */
  setLoyalty(merchantId: string, loyalty: LoyaltySettings, tiersChangedAt?: Date): Promise<void>;
  /** Replaces the merchant's sending settings (rate, marketing hours, caps, unsubscribe line …). */
  setSending(merchantId: string, sending: SendingSettings): Promise<void>;
  /** Replaces the merchant's retention settings (churn rules, zone thresholds, scoring hour). */
  setRetention(merchantId: string, retention: RetentionSettings): Promise<void>;
  /** The merchant's stores as stored now (strongly consistent), and the count of changes made to them. */
  stores(merchantId: string): Promise<{ stores: Record<string, Store>; version: number } | undefined>;
  /**
   * Replaces the merchant's stores, on condition that no other change was made since `version` was
   * read: false when one was (read again and redo the change).
   */
  saveStores(merchantId: string, stores: Record<string, Store>, version: number): Promise<boolean>;
  /** Adds another key to an existing merchant (rotation: add the new key, then revoke the old). */
  addApiKey(merchantId: string, key: StoredKey, at: Date, name?: string): Promise<void>;
  /** The merchant's keys, revoked ones included, in key id order, a page at a time. */
  apiKeys(merchantId: string, page: { limit: number; cursor?: string }): Promise<ApiKeysPage>;
  /** The ids of the merchant's keys not revoked (the index may miss a key made a moment ago). */
  activeApiKeyIds(merchantId: string): Promise<string[]>;
  /**
   * Revokes one of the merchant's keys. With `keeping`, only while that other key of the merchant is
   * still active, checked in the same transaction: two keys revoking each other at once cannot both
   * succeed and lock the merchant out. The key id names the write: revoking again changes nothing.
   */
  revokeApiKey(merchantId: string, keyId: string, at: Date, keeping?: string): Promise<RevokeOutcome>;
}

export interface ApiKeysPage {
  keys: ApiKey[];
  cursor?: string;
}

export type RevokeOutcome =
  | { status: 'revoked' | 'already-revoked'; key: ApiKey }
  | { status: 'not-found' }
  /** The key to keep is revoked (or not the merchant's): nothing was revoked. */
  | { status: 'keeper-revoked' };

const keysIndex = 'keysByMerchant';
const apiKeyKey = (keyId: string) => ({ pk: `APIKEY#${keyId}` });
const activeKeyOf = 'merchantId = :merchant AND attribute_not_exists(revokedAt)';

export function directoryStore(db: DynamoDBDocumentClient, tableName: string): DirectoryStore {
  const get = async (pk: string, consistent = false) =>
    (await db.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: consistent }))).Item as
      | Record<string, unknown>
      | undefined;
  /** The merchant's key as stored now; undefined if it is unknown or another merchant's. */
  const storedKey = async (merchantId: string, keyId: string) => {
    const item = await get(apiKeyKey(keyId).pk, true);
    return item?.merchantId === merchantId ? apiKeySchema.parse(item) : undefined;
  };
  const merchant = async (merchantId: string) => {
    const item = await get(`MERCHANT#${merchantId}`);
    return item ? merchantSchema.parse(item) : undefined;
  };
  /** Replaces one group of an existing merchant's settings as a whole. */
  const replaceSettings = async (
    merchantId: string,
    group: 'loyalty' | 'sending' | 'retention',
    settings: object,
    tiersChangedAt?: Date,
  ) => {
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: `MERCHANT#${merchantId}` },
        UpdateExpression: `SET #group = :settings${tiersChangedAt ? ', tiersChangedAt = :changedAt' : ''}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#group': group },
        ExpressionAttributeValues: {
          ':settings': settings,
          ...(tiersChangedAt ? { ':changedAt': tiersChangedAt.toISOString() } : {}),
        },
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
      // Strongly consistent: a key revoked a moment ago is refused at once, on every instance.
      const item = await get(apiKeyKey(parts.keyId).pk, true);
      if (!item || item.revokedAt || !secretMatches(parts.secret, item as unknown as StoredKey))
        return undefined;
      return merchant(item.merchantId as string);
    },
    setLoyalty: (merchantId, loyalty, tiersChangedAt) =>
      replaceSettings(merchantId, 'loyalty', loyaltySettingsSchema.parse(loyalty), tiersChangedAt),
    setSending: (merchantId, sending) =>
      replaceSettings(merchantId, 'sending', sendingSettingsSchema.parse(sending)),
    setRetention: (merchantId, retention) =>
      replaceSettings(merchantId, 'retention', retentionSettingsSchema.parse(retention)),
    async stores(merchantId) {
      const item = await get(`MERCHANT#${merchantId}`, true);
      if (!item) return undefined;
      const { stores, storesVersion } = merchantSchema.parse(item);
      return { stores, version: storesVersion ?? 0 };
    },
    async saveStores(merchantId, stores, version) {
      try {
        await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: `MERCHANT#${merchantId}` },
            UpdateExpression: 'SET stores = :stores, storesVersion = :next',
            ConditionExpression:
              version === 0
                ? 'attribute_exists(pk) AND attribute_not_exists(storesVersion)'
                : 'storesVersion = :was',
            ExpressionAttributeValues: {
              ':stores': stores,
              ':next': version + 1,
              ...(version === 0 ? {} : { ':was': version }),
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async addApiKey(merchantId, key, at, name) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...apiKeyKey(key.keyId),
            ...key,
            merchantId,
            createdAt: at.toISOString(),
            ...(name ? { name } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async apiKeys(merchantId, { limit, cursor }) {
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: keysIndex,
          KeyConditionExpression: 'merchantId = :merchant',
          ExpressionAttributeValues: { ':merchant': merchantId },
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: { ...apiKeyKey(cursor), merchantId, keyId: cursor } } : {}),
        }),
      );
      return {
        keys: Items.map((item) => apiKeySchema.parse(item)),
        ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.keyId) } : {}),
      };
    },
    async activeApiKeyIds(merchantId) {
      const ids: string[] = [];
      for await (const item of queryAll(db, {
        TableName: tableName,
        IndexName: keysIndex,
        KeyConditionExpression: 'merchantId = :merchant',
        FilterExpression: 'attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':merchant': merchantId },
        ProjectionExpression: 'keyId',
      })) {
        ids.push(String(item.keyId));
      }
      return ids;
    },
    async revokeApiKey(merchantId, keyId, at, keeping) {
      const revoke = {
        TableName: tableName,
        Key: apiKeyKey(keyId),
        UpdateExpression: 'SET revokedAt = :at',
        ConditionExpression: activeKeyOf,
        ExpressionAttributeValues: { ':merchant': merchantId, ':at': at.toISOString() },
      };
      let refused = false;
      try {
        if (keeping === undefined) await db.send(new UpdateCommand(revoke));
        else {
          const keep = {
            TableName: tableName,
            Key: apiKeyKey(keeping),
            ConditionExpression: activeKeyOf,
            ExpressionAttributeValues: { ':merchant': merchantId },
          };
          await retryConflicts(() =>
            db.send(
              new TransactWriteCommand({ TransactItems: [{ Update: revoke }, { ConditionCheck: keep }] }),
            ),
          );
        }
      } catch (error) {
        const codes = cancellationCodes(error);
        refused = isConditionFailure(error) || codes?.[0] === 'ConditionalCheckFailed';
        if (!refused && codes?.[1] === 'ConditionalCheckFailed') return { status: 'keeper-revoked' };
        if (!refused) throw error;
      }
      const key = await storedKey(merchantId, keyId);
      if (!key) return { status: 'not-found' };
      return { status: refused ? 'already-revoked' : 'revoked', key };
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
                    ...apiKeyKey(key.keyId),
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
