import * as z from 'zod';
import { toMobileE164 } from '../../shared/domain/phone';
import { roleSchema, staffIdSchema, staffNameSchema, staffSchema } from '../../shared/domain/staff';
import { storeIdSchema } from '../../shared/domain/stores';
import type { Merchant } from '../../shared/schemas/merchant';
import type { ChangeStaffOutcome, StaffChange, StaffStore } from '../../shared/store/staff';
import { HttpError, json, pageQuery, parseBody, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidBody, invalidQuery, type RouteDocsFor } from './route-docs';
import { assignableStore } from './store-of';

/**
 * The merchant's staff: who may sign in to the console, and in which role. A merchant always keeps
 * one active owner: the last cannot be removed or made anything else.
 */

export interface StaffRoutesDeps {
  staff: Pick<StaffStore, 'add' | 'list' | 'change' | 'remove'>;
  clock: () => Date;
}

export const newStaffSchema = z.strictObject({
  phone: z.string().max(40),
  name: staffNameSchema,
  role: roleSchema,
  /** The store (门店) they belong to; every store when left out. */
  storeId: storeIdSchema.optional(),
});
export const staffChangeSchema = z
  .strictObject({
    name: staffNameSchema.optional(),
    role: roleSchema.optional(),
    /** Another store, or null: every store. */
    storeId: storeIdSchema.nullable().optional(),
  })
  .refine(
    (change) => Object.values(change).some((value) => value !== undefined),
    'send a name, a role or a store',
  );
export const staffQuerySchema = z.strictObject(pageQuery(staffIdSchema, 50));

const staffAnswerSchema = z.object({ staff: staffSchema });
const staffPageSchema = z.object({ staff: z.array(staffSchema), cursor: staffIdSchema.optional() });

const notFound = () =>
  new HttpError(404, 'staff_not_found', 'you have no active member of staff with this id');

function staffIdParam(request: Request): string {
  const staffId = staffIdSchema.safeParse(request.pathParameters?.staffId);
  if (!staffId.success) throw notFound();
  return staffId.data;
}

/** `field`: the body field that asked for the refused change, named in the refusal's issues for a form. */
function changed(outcome: ChangeStaffOutcome, field?: 'role'): Response {
  if (outcome.status === 'not-found') throw notFound();
  if (outcome.status === 'last-owner') {
    const message = 'this is your only owner: make someone else owner first';
    throw new HttpError(409, 'last_owner', message, field ? [{ path: field, message }] : undefined);
  }
  return json(200, { staff: outcome.staff } satisfies z.infer<typeof staffAnswerSchema>);
}

/** `POST /v1/staff`: signs in from now on with the phone. */
export async function addStaff(
  request: Request,
  merchant: Merchant,
  deps: StaffRoutesDeps,
): Promise<Response> {
  const body = parseBody(request, newStaffSchema);
  const phone = toMobileE164(body.phone, merchant.defaultCountry);
  if (!phone.ok) {
    const issue = { path: 'phone', message: phone.reason };
    throw new HttpError(400, 'invalid_body', `phone: ${phone.reason}`, [issue]);
  }
  if (body.storeId) assignableStore(merchant, body.storeId);
  const outcome = await deps.staff.add(merchant.merchantId, { ...body, phone: phone.phone }, deps.clock());
  if (outcome.status === 'phone-taken') {
    const message = 'this phone already signs in as a member of staff; one phone, one account';
    throw new HttpError(409, 'phone_taken', message, [{ path: 'phone', message }]);
  }
  return json(201, { staff: outcome.staff } satisfies z.infer<typeof staffAnswerSchema>);
}

/** `GET /v1/staff`: active and removed, in the order they were added. */
export async function listStaff(
  request: Request,
  merchant: Merchant,
  deps: StaffRoutesDeps,
): Promise<Response> {
  const page = await deps.staff.list(merchant.merchantId, parseQuery(request, staffQuerySchema));
  return json(200, page satisfies z.infer<typeof staffPageSchema>);
}

/** `PATCH /v1/staff/{staffId}`: a new name or role, counted from their next request. */
export async function changeStaff(
  request: Request,
  merchant: Merchant,
  deps: StaffRoutesDeps,
): Promise<Response> {
  const change: StaffChange = parseBody(request, staffChangeSchema);
  if (change.storeId) assignableStore(merchant, change.storeId);
  const outcome = await deps.staff.change(merchant.merchantId, staffIdParam(request), change, deps.clock());
  return changed(outcome, 'role');
}

/** `DELETE /v1/staff/{staffId}`: removed; their session is refused from their next request on. */
export async function removeStaff(
  request: Request,
  merchant: Merchant,
  deps: StaffRoutesDeps,
): Promise<Response> {
  return changed(await deps.staff.remove(merchant.merchantId, staffIdParam(request), deps.clock()));
}

const staffPath = { staffId: 'The staff id, as the staff list gives it' };
const lastOwner = 'The member of staff is your only active owner';

export const staffRouteDocs: RouteDocsFor<'/v1/staff'> = {
  'POST /v1/staff': {
    summary: 'Add a member of staff',
    description:
      'Someone who signs in to the console with their mobile `phone` (a code is texted to it), as ' +
      '`owner` (everything), `marketing` (texts, campaigns, members) or `cashier` (the counter). A phone ' +
      'belongs to one active member of staff, at one shop. With `storeId` they belong to that store: ' +
      'what they do at the counter records it, and they cannot record another.',
    body: newStaffSchema,
    responses: { 201: { description: 'The member of staff', body: staffAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'an unknown or closed store'),
      409: 'The phone already signs in as a member of staff',
    },
  },
  'GET /v1/staff': {
    summary: 'List staff',
    description:
      'Your staff in the order they were added, removed ones too (`status`). Pass `cursor` to read on.',
    query: staffQuerySchema,
    responses: { 200: { description: 'A page of staff', body: staffPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
  'PATCH /v1/staff/{staffId}': {
    summary: 'Rename a member of staff, change their role or their store',
    description:
      'A new role or store counts from their next request; their session stays open. `storeId: null` ' +
      'makes them staff of every store.',
    pathParameters: staffPath,
    body: staffChangeSchema,
    responses: { 200: { description: 'The member of staff as changed', body: staffAnswerSchema } },
    errors: {
      400: anyOf(invalidBody, 'an unknown or closed store'),
      404: 'You have no active member of staff with the id',
      409: lastOwner,
    },
  },
  'DELETE /v1/staff/{staffId}': {
    summary: 'Remove a member of staff',
    description:
      'They can no longer sign in, and a session they hold is refused from its next request on. Their ' +
      'phone may be added again later, as a new member of staff.',
    pathParameters: staffPath,
    responses: { 200: { description: 'The member of staff, removed', body: staffAnswerSchema } },
    errors: { 404: 'You have no active member of staff with the id', 409: lastOwner },
  },
};
