import * as z from 'zod';
import type { Merchant } from '../../shared/schemas/merchant';
import type { MembersStore } from '../../shared/store/members';
import { applyTierEvaluation, type TierDeps } from '../../shared/use-cases/evaluate-tier';
import {
  HttpError,
  idempotencyKeyOf,
  idempotencyKeySchema,
  json,
  parseBody,
  phoneParam,
  type Request,
  type Response,
} from './http';
import { memberAnswer, memberView } from './members';
import {
  anyOf,
  invalidBody,
  invalidKey,
  invalidPhone,
  notMember,
  phonePath,
  type RouteDocsOf,
} from './route-docs';

/** A membership package the member bought, as the till or the console records the sale. */

export type PackageRoutesDeps = TierDeps & { members: Pick<MembersStore, 'contact'>; clock: () => Date };

const packageBodySchema = z.strictObject({
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
  deps: PackageRoutesDeps,
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
    if (outcome.status !== 'conflict') {
      const sold = memberView(await deps.members.contact(merchant.merchantId, phone));
      return json(200, { member: sold } satisfies Partial<z.infer<typeof memberAnswer>>);
    }
  }
  throw new HttpError(409, 'concurrent_update', 'the member was being changed at the same time; try again');
}

export const packageRouteDocs: RouteDocsOf<'POST /v1/members/{phone}/package'> = {
  'POST /v1/members/{phone}/package': {
    summary: 'Sell a membership package',
    description:
      'The member bought a package: it raises their tier at once and holds it until `endsAt`, when the ' +
      'tier falls back to what their score earns. Once per idempotency key.',
    pathParameters: phonePath,
    body: packageBodySchema,
    idempotencyKey: true,
    responses: {
      200: { description: 'The member, with their tier and `tierPackage`', body: memberAnswer },
    },
    errors: {
      400: anyOf(invalidPhone, invalidBody, invalidKey, 'the tier is not one of yours, or `endsAt` is past'),
      404: notMember,
      409: 'The member was being changed at the same time; try again',
    },
  },
};
