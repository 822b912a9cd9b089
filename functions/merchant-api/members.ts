import { z } from 'zod';
import { eventOf, pointsEarned } from '../../events';
import type { EventPublisher } from '../../shared/bus/events';
import { idempotencyKeyPattern, maxPointsPerOperation } from '../../shared/domain/ledger';
import { toMobileE164 } from '../../shared/domain/phone';
import type { Contact } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import type { LedgerStore } from '../../shared/store/ledger';
import type { MembersStore } from '../../shared/store/members';
import { HttpError, json, parseBody, type Request, type Response } from './http';

export interface MemberRoutesDeps {
  members: MembersStore;
  ledger: LedgerStore;
  events: EventPublisher;
  clock: () => Date;
}

const idempotencyKeySchema = z
  .string()
  .regex(idempotencyKeyPattern, 'idempotency key: 1-128 letters, digits or _ . : -');

const earnBodySchema = z.strictObject({
  points: z.number().int('points must be a whole number').min(1).max(maxPointsPerOperation),
  reason: z.string().trim().min(1).max(200).optional(),
  idempotencyKey: idempotencyKeySchema.optional(),
});

function phoneParam(request: Request, merchant: Merchant): string {
  const raw = safeDecode(request.pathParameters?.phone ?? '');
  const phone = toMobileE164(raw, merchant.defaultCountry);
  if (!phone.ok) throw new HttpError(400, 'invalid_phone', phone.reason);
  return phone.phone;
}

function idempotencyKeyOf(header: string | undefined, inBody: string | undefined): string {
  if (header !== undefined && inBody !== undefined && header !== inBody) {
    throw new HttpError(
      400,
      'invalid_idempotency_key',
      'the Idempotency-Key header and idempotencyKey differ',
    );
  }
  const raw = header ?? inBody;
  if (raw === undefined) {
    throw new HttpError(
      400,
      'missing_idempotency_key',
      'send an Idempotency-Key header naming this operation, e.g. the order id',
    );
  }
  const key = idempotencyKeySchema.safeParse(raw);
  if (!key.success)
    throw new HttpError(400, 'invalid_idempotency_key', key.error.issues[0]?.message ?? 'invalid');
  return key.data;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function memberView({ member, marketing }: Contact) {
  if (!member) return undefined;
  const { merchantId: _merchant, joinRef: _ref, ...view } = member;
  return {
    ...view,
    marketing: marketing
      ? { status: marketing.status, changedAt: marketing.changedAt, channel: marketing.channel }
      : undefined,
  };
}

export async function getMember(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const member = memberView(await deps.members.contact(merchant.merchantId, phone));
  if (!member) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);
  return json(200, { member });
}

/**
 * Earns points once per idempotency key (the `Idempotency-Key` header or `idempotencyKey` in the
 * body): a retry answers as the first call did, a reuse of the key for another operation is 409.
 */
export async function earnPoints(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const body = parseBody(request, earnBodySchema);
  const key = idempotencyKeyOf(request.headers['idempotency-key'], body.idempotencyKey);
  const { member } = await deps.members.contact(merchant.merchantId, phone);
  if (!member) throw new HttpError(404, 'member_not_found', `${phone} is not a member`);

  const at = deps.clock();
  const outcome = await deps.ledger.earn({
    merchantId: merchant.merchantId,
    memberId: member.memberId,
    phone,
    points: body.points,
    reason: body.reason,
    idempotencyKey: key,
    at,
  });
  if (outcome.status === 'conflict') {
    throw new HttpError(
      409,
      'idempotency_key_reused',
      `idempotency key ${key} was already used for a different operation`,
    );
  }
  if (outcome.status === 'no-member')
    throw new HttpError(404, 'member_not_found', `${phone} is not a member`);
  // Published on a replay too, with the same event id: the first attempt may have stopped before it.
  await deps.events.publish(
    eventOf(pointsEarned, {
      eventId: `earn:${key}`,
      merchantId: merchant.merchantId,
      memberId: member.memberId,
      points: body.points,
      reason: body.reason,
      idempotencyKey: key,
      at: at.toISOString(),
    }),
  );
  const after = await deps.members.contact(merchant.merchantId, phone);
  return json(outcome.status === 'applied' ? 201 : 200, {
    entryId: outcome.entryId,
    points: body.points,
    balance: after.member?.points ?? 0,
    replayed: outcome.status === 'replayed',
  });
}
