import { isDeepStrictEqual } from 'node:util';
import { ulid } from 'ulidx';
import * as z from 'zod';
import {
  type CardProduct,
  cardProductChangeSchema,
  cardProductInputSchema,
  cardProductSchema,
  countCardIdSchema,
} from '../../shared/schemas/count-card';
import type { Merchant } from '../../shared/schemas/merchant';
import type { CardProductsStore } from '../../shared/store/count-card-products';
import { HttpError, json, parseBody, type Request, type Response } from './http';
import { invalidBody, type RouteDocsFor } from './route-docs';

export interface CardProductRoutesDeps {
  cardProducts: CardProductsStore;
  clock: () => Date;
}

const created = (product: CardProduct) => {
  const { productId, name, uses, priceCents, validity, stores } = product;
  return { productId, name, uses, priceCents, validity, stores };
};

/**
 * `POST /v1/count-cards`: a new count-card product. With the client's `productId`, a repeat creates
 * nothing more and answers the product as it is now (200); the id holding another product is 409.
 */
/** A product may name only the merchant's stores. */
function refuseUnknownStores(stores: readonly string[] | undefined, merchant: Merchant) {
  const index = (stores ?? []).findIndex((storeId) => !Object.hasOwn(merchant.stores, storeId));
  if (index === -1) return;
  const message = `no store ${stores?.[index]}`;
  throw new HttpError(400, 'invalid_body', `stores.${index}: ${message}`, [
    { path: `stores.${index}`, message },
  ]);
}

export async function createCardProduct(
  request: Request,
  merchant: Merchant,
  deps: CardProductRoutesDeps,
): Promise<Response> {
  const input = parseBody(request, cardProductInputSchema);
  refuseUnknownStores(input.stores, merchant);
  const now = deps.clock();
  const { productId: given, ...fields } = input;
  const product: CardProduct = {
    productId: given ?? ulid(now.getTime()),
    ...fields,
    active: true,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const outcome = await deps.cardProducts.create(merchant.merchantId, product);
  if (outcome.created) return json(201, { product });
  if (!isDeepStrictEqual(created(outcome.product), created(product))) {
    throw new HttpError(
      409,
      'count_card_product_exists',
      `productId: ${product.productId} is another product; change it with PATCH /v1/count-cards/${product.productId}`,
    );
  }
  return json(200, { product: outcome.product });
}

export async function listCardProducts(
  _request: Request,
  merchant: Merchant,
  deps: CardProductRoutesDeps,
): Promise<Response> {
  return json(200, { products: await deps.cardProducts.list(merchant.merchantId) });
}

/** `PATCH /v1/count-cards/{productId}`: renames, reprices, stops (`active: false`) or restarts a product. */
export async function changeCardProduct(
  request: Request,
  merchant: Merchant,
  deps: CardProductRoutesDeps,
): Promise<Response> {
  const change = parseBody(request, cardProductChangeSchema);
  refuseUnknownStores(change.stores ?? undefined, merchant);
  const productId = productIdParam(request);
  const product = await deps.cardProducts.change(merchant.merchantId, productId, change, deps.clock());
  if (!product)
    throw new HttpError(404, 'count_card_product_not_found', `no count-card product ${productId}`);
  return json(200, { product });
}

export function productIdParam(request: Request): string {
  const productId = countCardIdSchema.safeParse(request.pathParameters?.productId);
  if (!productId.success) {
    throw new HttpError(404, 'count_card_product_not_found', 'no count-card product with this id');
  }
  return productId.data;
}

const productAnswer = z.object({ product: cardProductSchema });

export const cardProductRouteDocs: RouteDocsFor<'/v1/count-cards'> = {
  'POST /v1/count-cards': {
    summary: 'Create a count-card product',
    description:
      'A count card (计次卡) members can buy: its `name`, the `uses` it holds (1–1000), its price in cents and ' +
      'its validity (`{"kind":"days","days":365}` from the day of sale, or `{"kind":"until","date":"2027-12-31"}`). ' +
      '`stores` (ids of your stores where the card is valid; every store when left out): a use recorded at ' +
      'another store is refused. With your own `productId` (a ULID) ' +
      'a repeat answers the product as it is (200); the id holding another product is 409.',
    body: cardProductInputSchema,
    responses: {
      201: { description: 'Created', body: productAnswer },
      200: {
        description: 'A repeat under the same productId: the product as it is now',
        body: productAnswer,
      },
    },
    errors: { 400: invalidBody, 409: 'The productId holds another product' },
  },
  'GET /v1/count-cards': {
    summary: 'Count-card products',
    description: 'Every count-card product, stopped ones too, in the order they were created.',
    responses: {
      200: { description: 'The products', body: z.object({ products: z.array(cardProductSchema) }) },
    },
    errors: {},
  },
  'PATCH /v1/count-cards/{productId}': {
    summary: 'Change or stop a count-card product',
    description:
      'Changes the fields given. `active: false` stops selling it (cards already sold still work); ' +
      'cards already sold keep the uses, price and expiry they were sold with.',
    pathParameters: { productId: 'The product id' },
    body: cardProductChangeSchema,
    responses: { 200: { description: 'The product as changed', body: productAnswer } },
    errors: { 400: invalidBody, 404: 'No such product' },
  },
};
