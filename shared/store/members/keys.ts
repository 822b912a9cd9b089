import { type Member, type MemberInput, memberSchema } from '../../schemas/member';

/**
 * One partition per merchant + phone, so a text or an API call finds everything about a phone
 * in one query:
 * - `MEMBER`: the profile and points balance.
 * - `CONSENT`: marketing opt-in/out as it stands, and `CONSENT#<changedAt>#<ref>`: every change,
 *   immutable, written in one transaction with it.
 * - `SUPPRESSION`: marketing held back after a complaint until a person clears it, and
 *   `SUPPRESSION#<at>#<ref>`: every complaint and clearance, immutable.
 * Consent and suppression are kept even for phones that never joined, so an opt-out or a complaint
 * is honoured if they join later.
 *
 * Retention: China's rules on commercial texts ask for proof of consent at least 5 months after an
 * opt-out. The records are never deleted: the table has no TTL and a soft-deleted member's
 * partition stays whole, so the proof lasts as long as the merchant's data does.
 *
 * `<merchant>#<phone>#KEY` / `<kind>#<ref>`: the inbound message or request that made a consent
 * change or a complaint, written in the same transaction, so a retry of it writes nothing new. A
 * partition of its own, so reading a contact does not read them.
 */
export const memberKey = (merchantId: string, phone: string) => ({
  pk: `${merchantId}#${phone}`,
  sk: 'MEMBER',
});
export const consentKey = (merchantId: string, phone: string) => ({
  pk: `${merchantId}#${phone}`,
  sk: 'CONSENT',
});
export const suppressionKey = (merchantId: string, phone: string) => ({
  pk: `${merchantId}#${phone}`,
  sk: 'SUPPRESSION',
});
export const refPartition = (merchantId: string, phone: string) => `${merchantId}#${phone}#KEY`;
export const refKey = (merchantId: string, phone: string, kind: 'consent' | 'complaint', ref: string) => ({
  pk: refPartition(merchantId, phone),
  sk: `${kind}#${ref}`,
});

/** `byMerchant`: a merchant's current members, newest last by join time (the member id breaks ties). */
export const listKey = (member: Pick<Member, 'merchantId' | 'joinedAt' | 'memberId'>) => ({
  listPk: member.merchantId,
  listSk: `${member.joinedAt}#${member.memberId}`,
});
/**
 * `byTierOrTag` (`filterPk`, `listSk`): a tier's or a tag's current members in join order. The member
 * item carries `filterPk` `<merchant>#tier#<code>` whenever it has a tier; deleting takes `listSk`
 * away, and with it the member leaves this index as it leaves `byMerchant`.
 */
export const tierKey = (merchantId: string, tier: string) => `${merchantId}#tier#${tier}`;
export const tagFilterKey = (merchantId: string, tag: string) => `${merchantId}#tag#${tag}`;

/**
 * `<merchant>#<phone>#TAGS` / `<tag>`: one item per tag of a current member, in `byTierOrTag`
 * (`filterPk` `<merchant>#tag#<tag>`, `listSk`), so a tag's members are read a page at a time and never filtered
 * out of a longer read. Written and removed in the same transaction as the member's tags (or their
 * deletion); a partition of its own, so reading a contact does not read them.
 */
export const tagKey = (merchantId: string, phone: string, tag: string) => ({
  pk: tagPartition(merchantId, phone),
  sk: tag,
});
export const tagPartition = (merchantId: string, phone: string) => `${merchantId}#${phone}#TAGS`;

/** A tag's index item for a member. */
export const tagItem = (
  member: Pick<Member, 'merchantId' | 'phone' | 'joinedAt' | 'memberId'>,
  tag: string,
) => ({
  ...tagKey(member.merchantId, member.phone, tag),
  filterPk: tagFilterKey(member.merchantId, tag),
  listSk: listKey(member).listSk,
  phone: member.phone,
});

/** `byMemberId`: ledger and claim records carry only the member id. */
export const idKey = (merchantId: string, memberId: string) => ({ idPk: `${merchantId}#${memberId}` });

/**
 * `byBirthday` (`<merchant>#<MM-DD>`) and `byJoinDay` (`<merchant>#<MM-DD>` of the UTC join date):
 * the care jobs find the day's birthdays and anniversaries through these, never by scanning.
 */
export const birthdayKey = (merchantId: string, monthDay: string) => `${merchantId}#${monthDay}`;
export const joinDayKey = (merchantId: string, monthDay: string) => `${merchantId}#${monthDay}`;

/**
 * A new member's item: the member with its key and the attributes its indexes are built from; and
 * the index items of its tags, to be written in the same transaction.
 */
export function newMemberItem(input: MemberInput) {
  const member = memberSchema.parse(input);
  const item = {
    ...memberKey(member.merchantId, member.phone),
    ...listKey(member),
    ...idKey(member.merchantId, member.memberId),
    joinDayPk: joinDayKey(member.merchantId, member.joinedAt.slice(5, 10)),
    ...(member.tier ? { filterPk: tierKey(member.merchantId, member.tier) } : {}),
    ...(member.birthday ? { birthdayPk: birthdayKey(member.merchantId, member.birthday.slice(5)) } : {}),
    ...member,
  };
  return { item, member, tagItems: member.tags.map((tag) => tagItem(member, tag)) };
}
