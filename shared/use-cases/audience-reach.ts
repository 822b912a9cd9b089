import type { Audience } from '../domain/audience';
import { type Reach, recipientReach } from '../domain/reach';
import type { Member } from '../schemas/member';
import type { Merchant } from '../schemas/merchant';
import { type AudienceReader, maxAudiencePageSize } from '../store/audience-members';
import type { ConsentReader } from '../store/members';

export interface AudienceReachDeps {
  audienceReader: Pick<AudienceReader, 'page'>;
  consents: ConsentReader;
}

export interface AudienceReach {
  /** Members the audience holds now. */
  count: number;
  /** Those a campaign text would be sent to: a valid number, and consent where the text needs it. */
  reachable: number;
  /** Of the reachable, those without marketing consent who get the text as a service notice. */
  serviceNotices: number;
  /** Those it would not be sent to, by the reason send-sms would give. */
  unreachable: Partial<Record<Exclude<Reach, 'reachable' | 'service-notice'>, number>>;
  sample: Member[];
}

/** Each member of a page and what a campaign text to them would become. */
export async function reachOfPage(
  merchant: Merchant,
  members: readonly Member[],
  category: 'marketing' | 'service',
  consents: ConsentReader,
): Promise<Reach[]> {
  const standings = await consents.standings(
    merchant.merchantId,
    members.map((member) => member.phone),
  );
  return members.map((member) =>
    recipientReach(member.phone, standings.get(member.phone) ?? {}, category, merchant.defaultCountry),
  );
}

/**
 * How many members an audience holds now and how many a campaign sending `category` texts would reach,
 * read a page at a time as a campaign run reads it, by the rules send-sms applies. Sends nothing.
 */
export async function audienceReach(
  merchant: Merchant,
  audience: Audience,
  options: { category: 'marketing' | 'service'; now: Date; sampleSize: number },
  deps: AudienceReachDeps,
): Promise<AudienceReach> {
  const reach: AudienceReach = { count: 0, reachable: 0, serviceNotices: 0, unreachable: {}, sample: [] };
  let cursor: string | undefined;
  do {
    const page = await deps.audienceReader.page(merchant.merchantId, audience, {
      cursor,
      pageSize: maxAudiencePageSize,
      now: options.now,
      timeZone: merchant.timeZone,
    });
    reach.count += page.members.length;
    reach.sample.push(...page.members.slice(0, Math.max(0, options.sampleSize - reach.sample.length)));
    for (const outcome of await reachOfPage(merchant, page.members, options.category, deps.consents)) {
      if (outcome === 'reachable' || outcome === 'service-notice') reach.reachable += 1;
      if (outcome === 'service-notice') reach.serviceNotices += 1;
      else if (outcome !== 'reachable') reach.unreachable[outcome] = (reach.unreachable[outcome] ?? 0) + 1;
    }
    cursor = page.cursor;
  } while (cursor);
  return reach;
}
