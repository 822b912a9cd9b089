import * as z from 'zod';
import { eventOf, memberUpdated } from '../../events';
import { maxTagsPerMember, tagSchema } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import type { TagChange } from '../../shared/store/members';
import { HttpError, json, parseBody, phoneParam, type Request, type Response, safeDecode } from './http';
import { deletedMember, type MemberRoutesDeps, memberAnswer, memberNotFound, memberView } from './members';
import { anyOf, invalidBody, invalidPhone, notMember, phonePath, type RouteDocsOf } from './route-docs';

/**
 * Tags added or removed one change at a time, so a till tagging `vip` and a keyword app tagging
 * `list:新品` need not each send (and overwrite) the whole list. The store makes each change on the
 * tags as they are when it writes, so changes sent at the same time all land.
 */

const addTagsBody = z.strictObject({
  tags: z.array(tagSchema).min(1, 'at least one tag').max(maxTagsPerMember, `at most ${maxTagsPerMember}`),
});

const busyTags = () =>
  new HttpError(
    409,
    'concurrent_update',
    "the member's tags kept being changed by other requests at the same time; try again",
  );

async function changeTags(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
  change: TagChange,
): Promise<Response> {
  const phone = phoneParam(request, merchant);
  const at = deps.clock();
  const outcome = await deps.members.changeTags(merchant.merchantId, phone, change, at, (member) => [
    eventOf(memberUpdated, {
      eventId: `update:${request.requestContext.requestId}`,
      merchantId: merchant.merchantId,
      memberId: member.memberId,
      fields: ['tags'],
      channel: 'merchant-api',
      updatedAt: at.toISOString(),
    }),
  ]);
  switch (outcome.status) {
    case 'no-member':
      throw memberNotFound(phone);
    case 'deleted':
      throw deletedMember(phone, outcome.deletedAt);
    case 'too-many-tags':
      throw new HttpError(400, 'invalid_body', `tags: ${outcome.reason}`, [
        { path: 'tags', message: outcome.reason },
      ]);
    case 'conflict':
      throw busyTags();
  }
  return json(200, { member: memberView(await deps.members.contact(merchant.merchantId, phone)) });
}

/** `POST /v1/members/{phone}/tags`: adds the tags sent; those the member has stay, each once. */
export async function addMemberTags(request: Request, merchant: Merchant, deps: MemberRoutesDeps) {
  const { tags } = parseBody(request, addTagsBody);
  return changeTags(request, merchant, deps, { add: tags });
}

/** `DELETE /v1/members/{phone}/tags/{tag}`: removes one tag; a tag the member lacks changes nothing. */
export async function removeMemberTag(request: Request, merchant: Merchant, deps: MemberRoutesDeps) {
  const tag = tagSchema.safeParse(safeDecode(request.pathParameters?.tag ?? ''));
  const remove = tag.success ? [tag.data] : [];
  return changeTags(request, merchant, deps, { remove });
}

export const memberTagRouteDocs: RouteDocsOf<
  'POST /v1/members/{phone}/tags' | 'DELETE /v1/members/{phone}/tags/{tag}'
> = {
  'POST /v1/members/{phone}/tags': {
    summary: 'Tag a member',
    description:
      "Adds the tags sent to the member's, each once, and keeps the others (`PATCH` with `tags` " +
      'replaces the whole list). At most 50 tags a member. Changes other requests make to the tags at ' +
      'the same time are kept: each change is made on the tags as they are when it is written.',
    pathParameters: phonePath,
    body: addTagsBody,
    responses: { 200: { description: 'The member as tagged', body: memberAnswer } },
    errors: {
      400: anyOf(invalidPhone, invalidBody, 'the member would have more than 50 tags'),
      404: notMember,
      409: "The member's tags kept being changed by other requests at the same time; try again",
    },
  },
  'DELETE /v1/members/{phone}/tags/{tag}': {
    summary: 'Untag a member',
    description:
      'Removes one tag and keeps the others, as well as changes other requests make to the tags at the ' +
      'same time; removing a tag the member does not have changes nothing.',
    pathParameters: { ...phonePath, tag: 'The tag, URL-encoded, e.g. vip or list%3A%E6%96%B0%E5%93%81' },
    responses: { 200: { description: 'The member as untagged', body: memberAnswer } },
    errors: {
      400: anyOf(invalidPhone),
      404: notMember,
      409: "The member's tags kept being changed by other requests at the same time; try again",
    },
  },
};
