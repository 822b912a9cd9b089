import * as z from 'zod';
import { maxTagsPerMember, tagSchema } from '../../shared/schemas/member';
import type { Merchant } from '../../shared/schemas/merchant';
import { parseBody, phoneParam, type Request, type Response, safeDecode } from './http';
import { type MemberRoutesDeps, memberAnswer, updateMember } from './members';
import { anyOf, invalidBody, invalidPhone, notMember, phonePath, type RouteDocsOf } from './route-docs';

/**
 * Tags added or removed one change at a time, so a till tagging `vip` and a keyword app tagging
 * `list:新品` need not each send (and overwrite) the whole list. The change goes through the
 * member's profile update: the same rules (at most 50 tags, no , or ;), event and answer.
 */

const addTagsBody = z.strictObject({
  tags: z.array(tagSchema).min(1, 'at least one tag').max(maxTagsPerMember, `at most ${maxTagsPerMember}`),
});

/** The member's tags with `add` appended (each once) and `remove` taken out. */
export function retagged(
  current: readonly string[],
  change: { add?: string[]; remove?: string[] },
): string[] {
  const removed = new Set(change.remove);
  return [...new Set([...current, ...(change.add ?? [])])].filter((tag) => !removed.has(tag));
}

async function changeTags(
  request: Request,
  merchant: Merchant,
  deps: MemberRoutesDeps,
  change: { add?: string[]; remove?: string[] },
): Promise<Response> {
  const { member } = await deps.members.contact(merchant.merchantId, phoneParam(request, merchant));
  // Through PATCH: it answers 404 for no member, checks the new list, and refuses a change that
  // raced another one (409) rather than dropping it.
  const tags = retagged(member?.tags ?? [], change);
  return updateMember({ ...request, body: JSON.stringify({ tags }), isBase64Encoded: false }, merchant, deps);
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
      'replaces the whole list). At most 50 tags a member.',
    pathParameters: phonePath,
    body: addTagsBody,
    responses: { 200: { description: 'The member as tagged', body: memberAnswer } },
    errors: {
      400: anyOf(invalidPhone, invalidBody, 'the member would have more than 50 tags'),
      404: notMember,
      409: 'The member was being changed at the same time; try again',
    },
  },
  'DELETE /v1/members/{phone}/tags/{tag}': {
    summary: 'Untag a member',
    description:
      'Removes one tag and keeps the others; removing a tag the member does not have changes nothing.',
    pathParameters: { ...phonePath, tag: 'The tag, URL-encoded, e.g. vip or list%3A%E6%96%B0%E5%93%81' },
    responses: { 200: { description: 'The member as untagged', body: memberAnswer } },
    errors: {
      400: anyOf(invalidPhone),
      404: notMember,
      409: 'The member was being changed at the same time; try again',
    },
  },
};
