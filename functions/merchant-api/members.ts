import { ulid } from 'ulidx';
import { z } from 'zod';
import { eventOf, memberConsentChanged, memberDeleted, memberRegistered, memberUpdated } from '../../events';
import type { EventPublisher } from '../../shared/bus/publisher';
import { toMobileE164 } from '../../shared/domain/phone';
import { entryTier } from '../../shared/domain/tiers';
import { dateIn } from '../../shared/domain/time';
import {
  type Contact,
  type Member,
  memberPatchSchema,
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
import { applyTierEvaluation, type TierDeps } from '../../shared/use-cases/evaluate-tier';
import {
  HttpError,
  idempotencyKeyOf,
  idempotencyKeySchema,
  json,
  pageQuery,
  parseBody,
  parseQuery,
  phoneParam,
  type Request,
  type Response,
} from './http';

export interface MemberRoutesDeps {
  members: MembersStore;
  events: EventPublisher;
  clock: () => Date;
}

export const listQuerySchema = z.strictObject({
  ...pageQuery(z.string().min(1).max(2000), defaultPageSize, maxPageSize),
  tag: tagSchema.optional(),
  tier: z.string().min(1).max(40).optional(),
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

function memberView({ member, marketing }: Contact) {
  if (!member) return undefined;
  return {
    ...profileView(member),
    marketing: marketing
      ? { status: marketing.status, changedAt: marketing.changedAt, channel: marketing.channel }
      : undefined,
  };
}

const notMember = (phone: string) => new HttpError(404, 'member_not_found', `${phone} is not a member`);
const deletedMember = (phone: string, deletedAt: string) =>
  new HttpError(404, 'member_not_found', `${phone} is no longer a member: deleted at ${deletedAt}`);

/** The phone's member, or a 404: a deleted member is kept for the ledger but is no member to the API. */
async function currentMember(deps: MemberRoutesDeps, merchant: Merchant, phone: string) {
  const contact = await deps.members.contact(merchant.merchantId, phone);
  if (!contact.member) throw notMember(phone);
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
  try {
    const page = await deps.members.list(merchant.merchantId, query);
    return json(200, { members: page.members.map(profileView), cursor: page.cursor });
  } catch (error) {
    if (error instanceof InvalidCursorError) throw new HttpError(400, 'invalid_cursor', error.message);
    throw error;
  }
}

/** `POST /v1/members`: the merchant adds a member; a phone that is (or was) a member is a 409. */
export async function createMember(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
): Promise<Response> {
  const {
    phone: rawPhone,
    marketingConsent,
    ...profile
  } = parseBody(request, newMemberSchema(todayFor(merchant, deps)));
  const phone = toMobileE164(rawPhone, merchant.defaultCountry);
  if (!phone.ok) {
    throw new HttpError(400, 'invalid_body', `phone: ${phone.reason}`, [
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
  const optIn = marketingConsent && {
    status: 'subscribed' as const,
    changedAt: member.joinedAt,
    channel: 'merchant-api' as const,
    source: marketingConsent.source,
    ref: requestId,
  };
  const outcome = await deps.members.create(member, optIn);
  if (outcome.status === 'exists')
    throw new HttpError(409, 'member_exists', `${phone.phone} is already a member`);
  if (outcome.status === 'exists-deleted') throw new HttpError(409, 'member_deleted', outcome.reason);
  await deps.events.publish(
    eventOf(memberRegistered, {
      eventId: `register:${requestId}`,
      merchantId: merchant.merchantId,
      memberId: member.memberId,
      channel: 'merchant-api',
      joinedAt: member.joinedAt,
    }),
    ...(outcome.consent === 'recorded'
      ? [
          eventOf(memberConsentChanged, {
            eventId: `consent:${requestId}`,
            merchantId: merchant.merchantId,
            phone: phone.phone,
            status: 'subscribed',
            channel: 'merchant-api',
            changedAt: member.joinedAt,
          }),
        ]
      : []),
  );
  // Read back with consent: the phone may have opted out by text before it was added.
  return json(201, { member: memberView(await deps.members.contact(merchant.merchantId, phone.phone)) });
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
  const outcome = await deps.members.update(merchant.merchantId, phone, patch, at);
  switch (outcome.status) {
    case 'no-member':
      throw notMember(phone);
    case 'deleted':
      throw deletedMember(phone, outcome.deletedAt);
    case 'too-many-attributes':
      throw new HttpError(400, 'invalid_body', `attributes: ${outcome.reason}`, [
        { path: 'attributes', message: outcome.reason },
      ]);
    case 'conflict':
      throw new HttpError(
        409,
        'concurrent_update',
        'the member was being changed at the same time; try again',
      );
  }
  await deps.events.publish(
    eventOf(memberUpdated, {
      eventId: `update:${request.requestContext.requestId}`,
      merchantId: merchant.merchantId,
      memberId: outcome.member.memberId,
      fields: profileFields.filter((field) => patch[field] !== undefined),
      channel: 'merchant-api',
      updatedAt: at.toISOString(),
    }),
  );
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
  const outcome = await deps.members.softDelete(merchant.merchantId, phone, deps.clock());
  if (outcome.status === 'no-member') throw notMember(phone);
  const { member, deletedAt } = outcome;
  // Published on a repeat too, with the same event id: the first attempt may have stopped before it.
  await deps.events.publish(
    eventOf(memberDeleted, {
      eventId: `delete:${member.memberId}`,
      merchantId: merchant.merchantId,
      memberId: member.memberId,
      channel: 'merchant-api',
      deletedAt,
    }),
  );
  return json(200, { deleted: true, deletedAt });
}

export const packageBodySchema = z.strictObject({
  tier: z.string().min(1).max(40),
  endsAt: z.iso.datetime({ offset: true }),
  idempotencyKey: idempotencyKeySchema.optional(),
});

/**
 * A membership package the member bought: it raises the tier at once and holds it until
 * `endsAt`, when the tier falls back to what the member's score earns.
 */
export async function buyPackage(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps & TierDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const body = parseBody(request, packageBodySchema);
  const runId = `package:${idempotencyKeyOf(request.headers['idempotency-key'], body.idempotencyKey)}`;
  if (!merchant.loyalty.tiers.some((tier) => tier.code === body.tier)) {
    const codes = merchant.loyalty.tiers.map((tier) => tier.code).join(', ');
    throw new HttpError(
      400,
      'invalid_body',
      `tier: ${body.tier} is not one of this merchant's tiers (${codes})`,
    );
  }
  const now = deps.clock();
  const endsAt = new Date(body.endsAt);
  if (endsAt <= now) throw new HttpError(400, 'invalid_body', 'endsAt: a package must end in the future');
  for (let attempt = 0; attempt < 3; attempt++) {
    const { member } = await deps.members.contact(merchant.merchantId, phone);
    if (!member || member.deletedAt) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);
    const tierPackage = { tier: body.tier, endsAt: endsAt.toISOString() };
    const outcome = await applyTierEvaluation(
      { merchant, member, kind: 'package-bought', now, runId, tierPackage },
      deps,
    );
    if (outcome.status !== 'conflict') return json(200, { tier: outcome.tier, tierPackage });
  }
  throw new HttpError(409, 'concurrent_update', 'the member was being changed at the same time; try again');
}
