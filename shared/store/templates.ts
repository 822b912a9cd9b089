import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  merchantTemplateSchema,
  type Template,
  type TemplateRegistration,
  templateIdSchema,
} from '../schemas/template';
import { isConditionFailure } from './transactions';

/** Templates live in the Campaigns table: `pk` = merchant id, `sk` = `TEMPLATE#<template id>`. */
const prefix = 'TEMPLATE#';
const keyOf = (merchantId: string, templateId: string) => ({ pk: merchantId, sk: `${prefix}${templateId}` });

export interface TemplatesPage {
  templates: Template[];
  /** Present while there may be more: the last template id of this page. */
  cursor?: string;
}

export interface TemplatesStore {
  get(merchantId: string, templateId: string): Promise<Template | undefined>;
  /** Saves a new template; false when the merchant already has one with its id. */
  create(template: Template): Promise<boolean>;
  /** A page of the merchant's templates in id order; `cursor` is the last id of the previous page. */
  list(merchantId: string, options: { limit: number; cursor?: string }): Promise<TemplatesPage>;
  /** Records the provider's registration of the template; undefined when there is no such template. */
  setRegistration(
    merchantId: string,
    templateId: string,
    registration: TemplateRegistration,
    at: Date,
  ): Promise<Template | undefined>;
  /** Writes the template as changed; false when it was deleted or changed since `readAt` (its `updatedAt`). */
  replace(template: Template, readAt: string): Promise<boolean>;
  /** Deletes the template, answering it as it was; undefined when there was none. */
  delete(merchantId: string, templateId: string): Promise<Template | undefined>;
}

export function templatesStore(db: DynamoDBDocumentClient, campaignsTable: string): TemplatesStore {
  const parse = ({ pk: _pk, sk: _sk, ...item }: Record<string, unknown>) =>
    merchantTemplateSchema.parse(item);

  /** Writes the template if the condition holds; false when it does not. */
  async function put(
    template: Template,
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
  ) {
    try {
      await db.send(
        new PutCommand({
          TableName: campaignsTable,
          Item: {
            ...keyOf(template.merchantId, template.templateId),
            ...merchantTemplateSchema.parse(template),
          },
          ...condition,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  return {
    async get(merchantId, templateId) {
      const { Item } = await db.send(
        new GetCommand({
          TableName: campaignsTable,
          Key: keyOf(merchantId, templateId),
          ConsistentRead: true,
        }),
      );
      return Item ? parse(Item) : undefined;
    },

    create: (template) => put(template, { ConditionExpression: 'attribute_not_exists(pk)' }),

    replace: (template, readAt) =>
      put(template, {
        ConditionExpression: 'updatedAt = :readAt',
        ExpressionAttributeValues: { ':readAt': readAt },
      }),

    async list(merchantId, { limit, cursor }) {
      const start = cursor === undefined ? undefined : templateIdSchema.parse(cursor);
      const { Items = [], LastEvaluatedKey } = await db.send(
        new QueryCommand({
          TableName: campaignsTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': merchantId, ':prefix': prefix },
          Limit: limit,
          ...(start ? { ExclusiveStartKey: keyOf(merchantId, start) } : {}),
        }),
      );
      return {
        templates: Items.map(parse),
        ...(LastEvaluatedKey ? { cursor: String(LastEvaluatedKey.sk).slice(prefix.length) } : {}),
      };
    },

    async setRegistration(merchantId, templateId, registration, at) {
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: campaignsTable,
            Key: keyOf(merchantId, templateId),
            UpdateExpression: 'SET registration = :registration, updatedAt = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':registration': registration, ':at': at.toISOString() },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? parse(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async delete(merchantId, templateId) {
      const { Attributes } = await db.send(
        new DeleteCommand({
          TableName: campaignsTable,
          Key: keyOf(merchantId, templateId),
          ReturnValues: 'ALL_OLD',
        }),
      );
      return Attributes ? parse(Attributes) : undefined;
    },
  };
}
