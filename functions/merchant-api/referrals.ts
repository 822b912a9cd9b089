import * as z from 'zod';
import { referralStatuses, rewardSchema } from '../../shared/domain/referrals';
import type { Member } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import { memberIdSchema, type Referral } from '../../shared/schemas/referral';
import {
  findReferrer,
  giveJoinGift,
  type JoinGiftDeps,
  type ReferralDeps,
  recordReferral,
} from '../../shared/use-cases/member-rewards';
import { HttpError, json, pageQuery, parseQuery, type Request, type Response } from './http';
import { anyOf, invalidQuery, type RouteDocsFor } from './route-docs';

/**
 * Referrals (推荐有礼) and join gifts (开卡礼) through the API: a member added with `referrerPhone`,
 * and the referral report (who brought whom, when, and what it gave).
 */

export type ReferralRoutesDeps = ReferralDeps & JoinGiftDeps;

/** Why a referrer cannot be recorded, as the API says it at the field. */
const referrerRefusals = {
  unreadable: 'not a mobile number',
  self: 'the new member’s own phone',
  'not-member': 'not a current member',
  'joined-later': 'did not join before the new member',
} as const;

/** The referrer named by `referrerPhone`, checked before the member is written; a 400 at the field. */
export async function referrerFor(
  merchant: Merchant,
  joiner: { phone: string; joinedAt: string },
  referrerPhone: string | undefined,
  deps: ReferralRoutesDeps,
): Promise<Member | undefined> {
  if (referrerPhone === undefined) return undefined;
  const found = await findReferrer(merchant, joiner, referrerPhone, deps);
  if ('referrer' in found) return found.referrer;
  const message = `referrerPhone: ${referrerRefusals[found.problem]}`;
  throw new HttpError(400, 'invalid_body', message, [{ path: 'referrerPhone', message }]);
}

/** What a new member is given as they join through the API: the join gift, and the referral. */
export async function welcomeNewMember(
  merchant: Merchant,
  member: Member,
  referrer: Member | undefined,
  deps: ReferralRoutesDeps,
): Promise<void> {
  await giveJoinGift(merchant, member, deps);
  if (referrer) await recordReferral(merchant, member, referrer, 'merchant-api', deps);
}

export const referralsQuerySchema = z.strictObject({
  ...pageQuery(memberIdSchema, 50),
});

/** A member of a referral as the report shows them: gone (erased) members by id only. */
const partySchema = z.object({
  memberId: memberIdSchema,
  phone: z.string().optional(),
  name: z.string().optional(),
  /** The member was deleted, or their personal data erased. */
  gone: z.boolean().optional(),
});

const referralViewSchema = z.object({
  newMember: partySchema,
  referrer: partySchema,
  referredAt: z.iso.datetime(),
  channel: z.enum(['sms', 'merchant-api', 'import']),
  /** `pending`: waiting for the new member's first purchase; `capped`: the referrer was over the month's cap. */
  status: z.enum(referralStatuses),
  settledAt: z.iso.datetime().optional(),
  referrerReward: rewardSchema.optional(),
  newMemberReward: rewardSchema.optional(),
});
const referralsPageSchema = z.object({
  referrals: z.array(referralViewSchema),
  cursor: memberIdSchema.optional(),
});
type ReferralView = z.infer<typeof referralViewSchema>;

/** `GET /v1/referrals`: newest first, a page at a time. */
export async function listReferrals(
  request: Request,
  merchant: Merchant,
  deps: ReferralRoutesDeps,
): Promise<Response> {
  const query = parseQuery(request, referralsQuerySchema);
  const page = await deps.referrals.list(merchant.merchantId, query);
  const people = new Map<string, Promise<Member | undefined>>();
  const party = async (memberId: string): Promise<ReferralView['newMember']> => {
    if (!people.has(memberId)) people.set(memberId, deps.members.byMemberId(merchant.merchantId, memberId));
    const member = await people.get(memberId);
    if (!member || member.deletedAt) return { memberId, gone: true };
    return { memberId, phone: member.phone, ...(member.name ? { name: member.name } : {}) };
  };
  const view = async ({ merchantId: _tenant, newMemberId, referrerMemberId, ...rest }: Referral) => ({
    newMember: await party(newMemberId),
    referrer: await party(referrerMemberId),
    ...rest,
  });
  const referrals = await Promise.all(page.referrals.map(view));
  return json(200, {
    referrals,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  } satisfies z.infer<typeof referralsPageSchema>);
}

export const referralRouteDocs: RouteDocsFor<'/v1/referrals'> = {
  'GET /v1/referrals': {
    summary: 'Read the referral report',
    description:
      'Who brought whom (推荐有礼), newest first: the new member and the referrer (by id only once erased ' +
      'or deleted), when and how the new member joined, the status (`pending`: waiting for the first ' +
      'purchase; `rewarded`; `capped`: the referrer had reached the monthly cap, so only the new member ' +
      'was rewarded; `no-reward`: the settings gave nothing then) and what each was granted. Pass ' +
      '`cursor` to read on.',
    query: referralsQuerySchema,
    responses: { 200: { description: 'A page of referrals', body: referralsPageSchema } },
    errors: { 400: anyOf(invalidQuery) },
  },
};
