import { ulid } from 'ulidx';
import * as z from 'zod';
import {
  eventOf,
  memberConsentChanged,
  memberDeleted,
  memberRegistered,
  memberUpdated,
  restoreOf,
} from '../../events';
import { toMobileE164 } from '../../shared/domain/phone';
import { entryTier } from '../../shared/domain/tiers';
import { dateIn } from '../../shared/domain/time';
import { issueText } from '../../shared/schemas/issue-text';
import {
  type Contact,
  type Member,
  marketingConsentSchema,
  memberPatchSchema,
  memberSchema,
  newMemberSchema,
  profileFields,
  tagSchema,
} from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import {
  defaultPageSize,
  InvalidCursorError,
  type MembersStore,
  maxPageSize,
} from '../../shared/store/members';
import {
  HttpError,
  json,
  pageQuery,
  parseBody,
  parseQuery,
  phoneParam,
  type Request,
  type Response,
} from './http';
import { type ReferralRoutesDeps, referrerFor, welcomeNewMember } from './referrals';
import {
  anyOf,
  invalidBody,
  invalidPhone,
  invalidQuery,
  notMember,
  phonePath,
  type RouteDocsOf,
} from './route-docs';
import { refuseUnknownTiers } from './tier-codes';

export interface MemberRoutesDeps {
  members: MembersStore;
  clock: () => Date;
}

const listQuerySchema = z.strictObject({
  ...pageQuery(z.string().min(1).max(2000), defaultPageSize, maxPageSize),
  tag: tagSchema.optional(),
  tier: z.string().min(1).max(40).optional(),
});

/**
 * A new member's body: the profile, and `referrerPhone`, the member who brought them (推荐有礼),
 * kept apart from the profile.
 */
const newMemberBody = (today: string) =>
  newMemberSchema(today).extend({
    referrerPhone: z
      .string()
      .max(30, 'referrerPhone: a mobile number, e.g. +8613800138000')
      .optional()
      .describe('The phone of the member who brought this one: a current member who joined before.'),
  });

/** The merchant's date: a birthday may be today there but not later. */
const todayFor = (merchant: Merchant, deps: MemberRoutesDeps) => dateIn(merchant.timeZone, deps.clock());

/**
 * A member as the merchant sees it: no tenant id, no internal references, and not the day-by-day
 * activity the churn scoring reads (its outcome is there: `rfm`, `churnZone`, `churn`).
 */
function profileView(member: Member) {
  const {
    merchantId: _merchant,
    joinRef: _ref,
    pointsConsumed: _consumed,
    activity: _activity,
    ...view
  } = member;
  return view;
}

export function memberView({ member, marketing }: Contact) {
  if (!member) return undefined;
  return {
    ...profileView(member),
    marketing: marketing
      ? { status: marketing.status, changedAt: marketing.changedAt, channel: marketing.channel }
      : undefined,
  };
}

export const memberNotFound = (phone: string) =>
  new HttpError(404, 'member_not_found', `${phone} is not a member`);
export const deletedMember = (phone: string, deletedAt: string) =>
  new HttpError(404, 'member_not_found', `${phone} is no longer a member: deleted at ${deletedAt}`);

const concurrentUpdate = () =>
  new HttpError(409, 'concurrent_update', 'the member was being changed at the same time; try again');

/** The phone's member, or a 404: a deleted member is kept for the ledger but is no member to the API. */
async function currentMember(deps: MemberRoutesDeps, merchant: Merchant, phone: string) {
  const contact = await deps.members.contact(merchant.merchantId, phone);
  if (!contact.member) throw memberNotFound(phone);
  if (contact.member.deletedAt) throw deletedMember(phone, contact.member.deletedAt);
  return { ...contact, member: contact.member };
}

export async function getMember(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  return json(200, { member: memberView(await currentMember(deps, merchant, phone)) });
}

/** `GET /v1/members`: the merchant's members, newest first, a page at a time. */
export async function listMembers(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
): Promise<Response> {
  const query = parseQuery(request, listQuerySchema);
  if (query.tier !== undefined)
    refuseUnknownTiers(merchant, [{ path: 'tier', codes: [query.tier] }], 'invalid_query');
  try {
    const page = await deps.members.list(merchant.merchantId, query);
    return json(200, { members: page.members.map(profileView), cursor: page.cursor });
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new HttpError(400, 'invalid_cursor', error.message);
    throw error;
  }
}

/** `POST /v1/members`: the merchant adds a member (or gets a deleted one back); a current member is a 409. */
export async function createMember(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps & ReferralRoutesDeps,
): Promise<Response> {
  const {
    phone: rawPhone,
    marketingConsent,
    referrerPhone,
    ...profile
  } = parseBody(request, newMemberBody(todayFor(merchant, deps)));
  const phone = toMobileE164(rawPhone, merchant.defaultCountry);
  if (!phone.ok) {
    throw new HttpError(400, 'invalid_body', issueText('phone', phone.reason), [
      { path: 'phone', message: phone.reason },
    ]);
  }
  const at = deps.clock();
  const requestId = request.requestContext.requestId;
  const member = {
    ...profile,
    merchantId: merchant.merchantId,
    memberId: ulid(at.getTime()),
    phone: phone.phone,
    joinedAt: at.toISOString(),
    joinChannel: 'merchant-api' as const,
    tier: entryTier(merchant.loyalty.tiers),
    earnedTier: entryTier(merchant.loyalty.tiers),
    joinRef: requestId,
    points: 0,
  };
  const referrer = await referrerFor(merchant, member, referrerPhone, deps);
  const optIn = marketingConsent && {
    status: 'subscribed' as const,
    changedAt: member.joinedAt,
    channel: 'merchant-api' as const,
    source: marketingConsent.source,
    ref: requestId,
  };
  // The events are committed with the member (and the opt-in, when it is recorded), in the outbox.
  const outcome = await deps.members.create(member, optIn, {
    registered: eventOf(memberRegistered, {
      eventId: `register:${requestId}`,
      merchantId: merchant.merchantId,
      memberId: member.memberId,
      channel: 'merchant-api',
      joinedAt: member.joinedAt,
    }),
    restored: (back) => restoreOf(back, 'merchant-api', member.joinedAt),
    optedIn: eventOf(memberConsentChanged, {
      eventId: `consent:${requestId}`,
      merchantId: merchant.merchantId,
      phone: phone.phone,
      status: 'subscribed',
      channel: 'merchant-api',
      changedAt: member.joinedAt,
    }),
  });
  if (outcome.status === 'exists')
    throw new HttpError(409, 'member_exists', `${phone.phone} is already a member`);
  // A first join only: a member restored had their join gift, and was nobody's new member.
  if (outcome.status === 'created')
    await welcomeNewMember(merchant, memberSchema.parse(member), referrer, deps);
  // Read back with consent: the phone may have opted out by text before it was added.
  const contact = await deps.members.contact(merchant.merchantId, phone.phone);
  return json(outcome.status === 'restored' ? 200 : 201, { member: memberView(contact) });
}

/** `PATCH /v1/members/{phone}`: changes profile fields only; points and tiers are not the merchant's to set. */
export async function updateMember(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const patch = parseBody(request, memberPatchSchema(todayFor(merchant, deps)));
  const at = deps.clock();
  const outcome = await deps.members.update(merchant.merchantId, phone, patch, at, (member) => [
    eventOf(memberUpdated, {
      eventId: `update:${request.requestContext.requestId}`,
      merchantId: merchant.merchantId,
      memberId: member.memberId,
      fields: profileFields.filter((field) => patch[field] !== undefined),
      channel: 'merchant-api',
      updatedAt: at.toISOString(),
    }),
  ]);
  switch (outcome.status) {
    case 'no-member':
      throw memberNotFound(phone);
    case 'deleted':
      throw deletedMember(phone, outcome.deletedAt);
    case 'too-many-attributes':
      throw new HttpError(400, 'invalid_body', `attributes: ${outcome.reason}`, [
        { path: 'attributes', message: outcome.reason },
      ]);
    case 'conflict':
      throw concurrentUpdate();
  }
  return json(200, { member: memberView(await deps.members.contact(merchant.merchantId, phone)) });
}

/**
 * `DELETE /v1/members/{phone}`: a soft delete. The member leaves lists and the API; the ledger
 * stays. Deleting again answers as the first time did.
 */
export async function deleteMember(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  // The event is committed with the deletion; deleting again writes neither.
  const outcome = await deps.members.softDelete(merchant.merchantId, phone, deps.clock(), (deleted) => [
    eventOf(memberDeleted, {
      eventId: `delete:${deleted.memberId}`,
      merchantId: merchant.merchantId,
      memberId: deleted.memberId,
      channel: 'merchant-api',
      deletedAt: deleted.deletedAt as string,
    }),
  ]);
  if (outcome.status === 'no-member') throw memberNotFound(phone);
  if (outcome.status === 'conflict') throw concurrentUpdate();
  const { member, deletedAt } = outcome;
  return json(200, { member: { ...profileView(member), deletedAt } } satisfies z.infer<
    typeof deletedMemberAnswer
  >);
}

/**
 * `POST /v1/members/{phone}/restore`: a deleted member comes back with their balances, ledger and
 * tags; their consent stays as it is. Restoring a current member answers with the member.
 */
export async function restoreMember(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const at = deps.clock();
  const outcome = await deps.members.restore(merchant.merchantId, phone, at, (restored) => [
    restoreOf(restored, 'merchant-api', at.toISOString()),
  ]);
  if (outcome.status === 'no-member') throw memberNotFound(phone);
  if (outcome.status === 'conflict') throw concurrentUpdate();
  return json(200, { member: memberView(await deps.members.contact(merchant.merchantId, phone)) });
}

// The date only moves a birthday refinement, which JSON Schema cannot express.
const anyDay = '2000-01-01';

// The answers as the document describes them: the routes build them from views, not from a schema.
const memberProfile = memberSchema.omit({
  merchantId: true,
  joinRef: true,
  pointsConsumed: true,
  activity: true,
});
export const memberAnswer = z.object({
  member: memberProfile.extend({
    marketing: marketingConsentSchema.pick({ status: true, changedAt: true, channel: true }).optional(),
  }),
});

const deletedMemberAnswer = z.object({ member: memberProfile.required({ deletedAt: true }) });

export const memberRouteDocs: RouteDocsOf<
  | 'GET /v1/members'
  | 'POST /v1/members'
  | 'GET /v1/members/{phone}'
  | 'PATCH /v1/members/{phone}'
  | 'DELETE /v1/members/{phone}'
  | 'POST /v1/members/{phone}/restore'
> = {
  'GET /v1/members/{phone}': {
    summary: 'Look up a member',
    description:
      'A member: profile, points and stored-value balances, tier, and whether they take marketing texts.',
    pathParameters: phonePath,
    responses: { 200: { description: 'The member', body: memberAnswer } },
    errors: { 400: anyOf(invalidPhone), 404: notMember },
  },
  'GET /v1/members': {
    summary: 'List members',
    description:
      'Your members, newest first, a page at a time, optionally only those with a tag or a tier. ' +
      'Pass the `cursor` of a page to get the next one; the last page has none.',
    query: listQuerySchema,
    responses: {
      200: {
        description: 'A page of members',
        body: z.object({ members: z.array(memberProfile), cursor: z.string().optional() }),
      },
    },
    errors: { 400: anyOf(invalidQuery) },
  },
  'POST /v1/members': {
    summary: 'Add a member',
    description:
      'Adds a member with the phone and any profile fields. A phone that is a member is refused. A ' +
      'phone whose member was deleted gets that member back as they were, with balances, ledger and ' +
      'tags (200; change the profile with PATCH); `marketingConsent` is then recorded only if the ' +
      'phone never chose, as for a new member. A new member is given the join gift (开卡礼) if the phone ' +
      'never had one; `referrerPhone` records who brought them (推荐有礼): a current member who joined ' +
      'before, else a 400 at the field. A restored member gets neither.',
    body: newMemberBody(anyDay),
    responses: {
      200: { description: 'The deleted member, restored', body: memberAnswer },
      201: { description: 'The new member', body: memberAnswer },
    },
    errors: {
      400: anyOf(invalidBody, 'the phone is not a mobile number'),
      409: 'The phone is already a member',
    },
  },
  'PATCH /v1/members/{phone}': {
    summary: "Change a member's profile",
    description:
      'Fields left out stay as they are and `null` clears one; `tags` replaces the list; `attributes` ' +
      'merges, and an attribute set to `null` is removed. Points and tiers are not changed here.',
    pathParameters: phonePath,
    body: memberPatchSchema(anyDay),
    responses: { 200: { description: 'The member as changed', body: memberAnswer } },
    errors: {
      400: anyOf(invalidPhone, invalidBody),
      404: notMember,
      409: 'The member was being changed at the same time; try again',
    },
  },
  'DELETE /v1/members/{phone}': {
    summary: 'Delete a member',
    description:
      'The member leaves your lists and the API; their ledger is kept. Deleting again answers as the first time.',
    pathParameters: phonePath,
    responses: {
      200: {
        description: 'The member as deleted, with `deletedAt`',
        body: deletedMemberAnswer,
      },
    },
    errors: {
      400: anyOf(invalidPhone),
      404: 'The phone is not a member',
      409: 'The member was being changed at the same time; try again',
    },
  },
  'POST /v1/members/{phone}/restore': {
    summary: 'Restore a deleted member',
    description:
      'A deleted member comes back into your lists and the API with their balances, ledger and tags. ' +
      'Their marketing consent stays as it was: restoring records no opt-in. Restoring a current ' +
      'member changes nothing and answers with the member.',
    pathParameters: phonePath,
    responses: { 200: { description: 'The member, restored', body: memberAnswer } },
    errors: {
      400: anyOf(invalidPhone),
      404: 'The phone was never a member',
      409: 'The member was being changed at the same time; try again',
    },
  },
};
