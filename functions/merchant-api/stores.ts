import * as z from 'zod';
import {
  maxStores,
  type Store,
  sortedStores,
  storeAddressSchema,
  storeIdSchema,
  storeNameSchema,
  storeSchema,
  timeZoneSchema,
} from '../../shared/domain/stores';
import type { Merchant } from '../../shared/schemas/merchant';
import type { DirectoryStore } from '../../shared/store/directory';
import { HttpError, json, parseBody, type Request, type Response } from './http';
import { anyOf, invalidBody, type RouteDocsFor } from './route-docs';

/**
 * The merchant's stores (门店): listed to every role (a cashier picks theirs), created and changed by
 * an owner. A store is closed, never deleted.
 */

export interface StoreRoutesDeps {
  directory: Pick<DirectoryStore, 'stores' | 'saveStores'>;
  clock: () => Date;
}

const newStoreSchema = z.strictObject({
  storeId: storeIdSchema,
  name: storeNameSchema,
  address: storeAddressSchema.optional(),
  timeZone: timeZoneSchema.optional(),
});
const storeChangeSchema = z
  .strictObject({
    name: storeNameSchema.optional(),
    address: storeAddressSchema.nullable().optional(),
    timeZone: timeZoneSchema.optional(),
    status: z.enum(['open', 'closed']).optional(),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), 'send at least one field');

const storeAnswerSchema = z.object({ store: storeSchema });
const storesAnswerSchema = z.object({ stores: z.array(storeSchema) });

/** Attempts at a change when another change to the stores got in between its read and its write. */
const attempts = 5;

/**
 * Reads the stores as stored now, applies `change` and writes them back, again from a fresh read when
 * another change got in first. `change` answers the store to save and the answer, or only an answer
 * (nothing to write).
 */
async function changeStores(
  merchant: Merchant,
  deps: StoreRoutesDeps,
  change: (stores: Record<string, Store>) => { save?: Store; answer: Response },
): Promise<Response> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const current = await deps.directory.stores(merchant.merchantId);
    if (!current) throw new HttpError(404, 'merchant_not_found', 'the merchant is gone');
    const { save, answer } = change(current.stores);
    if (!save) return answer;
    const stores = { ...current.stores, [save.storeId]: save };
    if (await deps.directory.saveStores(merchant.merchantId, stores, current.version)) return answer;
  }
  throw new HttpError(409, 'stores_busy', 'the stores kept changing; try again');
}

/** What a repeat of `POST /v1/stores` must carry the same to be the same store. */
const sameStore = (saved: Store, body: z.infer<typeof newStoreSchema>, merchant: Merchant) =>
  saved.name === body.name &&
  saved.address === body.address &&
  saved.timeZone === (body.timeZone ?? merchant.timeZone);

/** `GET /v1/stores`: open stores first, then closed ones, each by id. */
export async function listStores(_request: Request, merchant: Merchant): Promise<Response> {
  return json(200, { stores: sortedStores(merchant.stores) } satisfies z.infer<typeof storesAnswerSchema>);
}

/**
 * `POST /v1/stores`: the store's id is the merchant's code for it, and names the write: a repeat with
 * the same fields answers the store (200), other fields under a taken id are refused (409).
 */
export async function createStore(
  request: Request,
  merchant: Merchant,
  deps: StoreRoutesDeps,
): Promise<Response> {
  const body = parseBody(request, newStoreSchema);
  const at = deps.clock().toISOString();
  return changeStores(merchant, deps, (stores) => {
    const saved = Object.hasOwn(stores, body.storeId) ? stores[body.storeId] : undefined;
    if (saved) {
      if (!sameStore(saved, body, merchant)) {
        throw new HttpError(
          409,
          'store_exists',
          `storeId: ${body.storeId} is another store (${saved.name})`,
          [{ path: 'storeId', message: `taken by ${saved.name}` }],
        );
      }
      return { answer: json(200, { store: saved } satisfies z.infer<typeof storeAnswerSchema>) };
    }
    if (Object.keys(stores).length >= maxStores) {
      throw new HttpError(409, 'too_many_stores', `a merchant keeps at most ${maxStores} stores`);
    }
    const store: Store = {
      storeId: body.storeId,
      name: body.name,
      ...(body.address ? { address: body.address } : {}),
      timeZone: body.timeZone ?? merchant.timeZone,
      status: 'open',
      createdAt: at,
    };
    return { save: store, answer: json(201, { store } satisfies z.infer<typeof storeAnswerSchema>) };
  });
}

/** `PATCH /v1/stores/{storeId}`: a new name, address or time zone; `status` closes or reopens it. */
export async function changeStore(
  request: Request,
  merchant: Merchant,
  deps: StoreRoutesDeps,
): Promise<Response> {
  const storeId = storeIdSchema.safeParse(request.pathParameters?.storeId);
  const body = parseBody(request, storeChangeSchema);
  const at = deps.clock().toISOString();
  return changeStores(merchant, deps, (stores) => {
    const saved = storeId.success && Object.hasOwn(stores, storeId.data) ? stores[storeId.data] : undefined;
    if (!saved) throw new HttpError(404, 'store_not_found', 'no store with this id');
    const { address, ...rest } = body;
    const store: Store = { ...saved, ...stripUndefined(rest), updatedAt: at };
    if (address === null) delete store.address;
    else if (address !== undefined) store.address = address;
    return { save: store, answer: json(200, { store } satisfies z.infer<typeof storeAnswerSchema>) };
  });
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}

const storeIdPath = { storeId: 'The store’s id, as you created it' };

export const storeRouteDocs: RouteDocsFor<'/v1/stores'> = {
  'GET /v1/stores': {
    summary: 'List stores',
    description: `Your stores (门店, at most ${maxStores}): open ones first, then closed ones, each by id.`,
    responses: { 200: { description: 'The stores', body: storesAnswerSchema } },
    errors: {},
  },
  'POST /v1/stores': {
    summary: 'Create a store',
    description:
      'A store of yours: `storeId` is your code for it (lower-case letters, digits and dashes, e.g. ' +
      '`xuhui-1`), kept for good, and names the write: sending the same store again answers it (200). ' +
      'Its `timeZone` is yours unless given; a store’s daily figures count its own days. Staff who ' +
      'belong to it, and API calls that name it (`storeId`), record it on what they do.',
    body: newStoreSchema,
    responses: {
      201: { description: 'The store', body: storeAnswerSchema },
      200: { description: 'The store created before with the same id and fields', body: storeAnswerSchema },
    },
    errors: {
      400: anyOf(invalidBody, 'an id that is not a code, an empty name, an unknown time zone'),
      409: `The id names another store (\`store_exists\`), or you have ${maxStores} stores already`,
    },
  },
  'PATCH /v1/stores/{storeId}': {
    summary: 'Change or close a store',
    description:
      'A new `name`, `address` (null removes it) or `timeZone`; `status: closed` closes the store (it ' +
      'records nothing new, and staff who belong to it can no longer record there), `open` reopens it. ' +
      'What it recorded stays its own.',
    pathParameters: storeIdPath,
    body: storeChangeSchema,
    responses: { 200: { description: 'The store as changed', body: storeAnswerSchema } },
    errors: { 400: anyOf(invalidBody), 404: 'There is no store with the id' },
  },
};
