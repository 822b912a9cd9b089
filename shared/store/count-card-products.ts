import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type CardProduct, type CardProductChange, cardProductSchema } from '../schemas/count-card';
import { listAll } from './paging';
import { isConditionFailure } from './transactions';

/**
 * The count-card catalog (计次卡), in the Benefits table beside the benefit catalog: one partition per
 * merchant (`<merchant>#CARD-PRODUCTS`, sort key = product id), as a merchant has few products.
 */
export const productsPk = (merchantId: string) => `${merchantId}#CARD-PRODUCTS`;
const productKey = (merchantId: string, productId: string) => ({ pk: productsPk(merchantId), sk: productId });

export interface CardProductsStore {
  /** Saves a new product; one already under its id is answered as it is, not replaced. */
  create(merchantId: string, product: CardProduct): Promise<{ created: boolean; product: CardProduct }>;
  get(merchantId: string, productId: string): Promise<CardProduct | undefined>;
  /** The merchant's products, by id (the order they were created in). */
  list(merchantId: string): Promise<CardProduct[]>;
  /** Changes some fields; undefined when there is no such product. */
  change(
    merchantId: string,
    productId: string,
    change: CardProductChange,
    at: Date,
  ): Promise<CardProduct | undefined>;
}

const toProduct = (item: Record<string, unknown>) => {
  const { pk: _, sk: __, ...rest } = item;
  return cardProductSchema.parse(rest);
};

export function cardProductsStore(db: DynamoDBDocumentClient, tableName: string): CardProductsStore {
  const get = async (merchantId: string, productId: string) => {
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: productKey(merchantId, productId), ConsistentRead: true }),
    );
    return Item ? toProduct(Item) : undefined;
  };
  return {
    get,
    async create(merchantId, product) {
      try {
        await db.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...productKey(merchantId, product.productId), ...product },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { created: true, product };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const saved = await get(merchantId, product.productId);
        if (!saved) throw error;
        return { created: false, product: saved };
      }
    },
    async list(merchantId) {
      const items = await listAll(
        db,
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': productsPk(merchantId) },
        },
        [],
      );
      return items.map(toProduct);
    },
    async change(merchantId, productId, change, at) {
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':at': at.toISOString() };
      const set = ['updatedAt = :at'];
      for (const [field, value] of Object.entries(change)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:${field}`] = value;
        set.push(`#${field} = :${field}`);
      }
      try {
        const { Attributes } = await db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: productKey(merchantId, productId),
            UpdateExpression: `SET ${set.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? toProduct(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },
  };
}
