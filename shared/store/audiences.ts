import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import * as z from 'zod';
import { type Audience, audienceSchema } from '../domain/audience';
import { isConditionFailure } from './transactions';

/**
 * Saved audiences live in the Campaigns table: `pk` = merchant id, `sk` = `AUDIENCE#<audience id>`.
 * The id is a ULID of the creation time, so the merchant's audiences read newest first by walking
 * the prefix backwards.
 */
const prefix = 'AUDIENCE#';
const keyOf = (merchantId: string, audienceId: string) => ({ pk: merchantId, sk: `${prefix}${audienceId}` });

export const audienceIdSchema = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'audience id: 26 characters, as POST /v1/audiences gave it');

export const audienceNameSchema = z
  .string()
  .trim()
  .min(1, 'name is empty')
  .max(80, 'name: 80 characters at most');

export const savedAudienceSchema = z.object({
  audienceId: audienceIdSchema,
  name: z.string(),
  definition: audienceSchema,
  createdAt: z.iso.datetime(),
  /** When its name or definition last changed. */
  updatedAt: z.iso.datetime().optional(),
});
export type SavedAudience = z.infer<typeof savedAudienceSchema>;

export interface NewAudience {
  name: string;
  definition: Audience;
}

export interface AudiencesPage {
  /** Newest first. */
  audiences: SavedAudience[];
  /** Present while there may be more; an audience id of the page. */
  cursor?: string;
}

export interface AudiencesStore {
  /**
   * Saves a new audience, under the caller's `audienceId` when given: an id already saved is not
   * written again, and the audience it holds is answered with `created: false`.
   */
  create(
    merchantId: string,
    audience: NewAudience & { audienceId?: string },
    now: Date,
  ): Promise<{ audience: SavedAudience; created: boolean }>;
  get(merchantId: string, audienceId: string): Promise<SavedAudience | undefined>;
  list(merchantId: string, options: { limit: number; cursor?: string }): Promise<AudiencesPage>;
  /** Changes the name or definition given; undefined when the merchant has no audience with the id. */
  update(
    merchantId: string,
    audienceId: string,
    change: Partial<NewAudience>,
    now: Date,
  ): Promise<SavedAudience | undefined>;
  /** Forgets the audience, answering it as it was; undefined when the merchant has none with the id. */
  delete(merchantId: string, audienceId: string): Promise<SavedAudience | undefined>;
}

export function audiencesStore(db: DynamoDBDocumentClient, campaignsTable: string): AudiencesStore {
  const parse = ({ pk: _pk, sk: _sk, ...item }: Record<string, unknown>) => savedAudienceSchema.parse(item);

  return {
    async create(merchantId, { name, definition, audienceId }, now) {
      const audience = savedAudienceSchema.parse({
        audienceId: audienceId ?? ulid(now.getTime()),
        name,
        definition,
        createdAt: now.toISOString(),
      });
      // The idempotency key is the audience id: the client's, or one made here (then the SDK retrying
      // this put is the only repeat, and it finds the item it wrote).
      try {
        await db.send(
          new PutCommand({
            TableName: campaignsTable,
            Item: { ...keyOf(merchantId, audience.audienceId), ...audience },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { audience, created: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const saved = await this.get(merchantId, audience.audienceId);
      if (!saved) throw new Error(`audience ${audience.audienceId} was there, then was not`);
      return { audience: saved, created: false };
    },

    async get(merchantId, audienceId) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: campaignsTable,
          Key: keyOf(merchantId, audienceId),
          ConsistentRead: true,
        }),
      );
      return Item ? parse(Item) : undefined;
    },

    async list(merchantId, { limit, cursor }) {
      const start = cursor === undefined ? undefined : audienceIdSchema.parse(cursor);
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: campaignsTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': merchantId, ':prefix': prefix },
          ScanIndexForward: false,
          Limit: limit,
          ...(start ? { ExclusiveStartKey: keyOf(merchantId, start) } : {}),
        }),
      );
      return {
        audiences: Items.map(parse),
        ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.sk).slice(prefix.length) } : {}),
      };
    },

    async update(merchantId, audienceId, change, now) {
      const fields = Object.entries({ ...change, updatedAt: now.toISOString() });
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: campaignsTable,
            Key: keyOf(merchantId, audienceId),
            UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
            ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:f${i}`, value])),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? parse(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async delete(merchantId, audienceId) {
      const { Attributes } = await db.send(
        new DeleteCommand({
          TableName: campaignsTable,
          Key: keyOf(merchantId, audienceId),
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? parse(Attributes) : undefined;
    },
  };
}
