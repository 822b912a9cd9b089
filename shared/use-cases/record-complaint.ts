import { eventOf, memberComplained } from '../../events';
import { proofText } from '../domain/consent';
import { type StatsCounter, statsIncrement } from '../store/campaign-stats';
import type { CampaignCount, MembersStore } from '../store/members';

/** A reply counts against the campaign whose text reached the phone this long before it, at most. */
const campaignReplyWindowHours = 72;

/** The campaign texts a phone received: `MessagesStore.recentCampaignText`, on the `byRecipient` index. */
export interface CampaignTexts {
  /** The latest campaign text sent to the phone since `since`, if any. */
  recentCampaignText(
    merchantId: string,
    phone: string,
    since: Date,
  ): Promise<{ campaignId: string; messageId: string } | undefined>;
}

export interface CampaignReplyDeps {
  messages: CampaignTexts;
  /** The Campaigns table, where each campaign's counters are. */
  campaignsTable: string;
}

/**
 * The campaign a reply (an opt-out, a complaint) answers, and the counter it moves there. The count
 * goes in the same transaction as the reply's record, keyed by `ref`, so a replay counts once.
 */
export async function campaignAnswered(
  deps: CampaignReplyDeps,
  reply: { merchantId: string; phone: string; at: Date; ref: string },
  counter: Extract<StatsCounter, 'optOuts' | 'complaints'>,
): Promise<{ campaignId?: string; count?: CampaignCount }> {
  const since = new Date(reply.at.getTime() - campaignReplyWindowHours * 3_600_000);
  const text = await deps.messages.recentCampaignText(reply.merchantId, reply.phone, since);
  if (!text) return {};
  const count = statsIncrement(deps.campaignsTable, reply.merchantId, text.campaignId, reply.ref, {
    [counter]: 1,
  });
  return { campaignId: text.campaignId, count };
}

export interface RecordComplaintDeps extends CampaignReplyDeps {
  members: Pick<MembersStore, 'recordComplaint'>;
}

export interface Complaint {
  merchantId: string;
  phone: string;
  at: Date;
  /** A reply with 投诉 or 举报, or the provider's spam feedback on a text. */
  channel: 'sms-keyword' | 'provider';
  /** The reply's text, or what the provider reported. */
  source: string;
  /** The inbound message id, or the provider's id of the feedback: a retry with it records nothing new. */
  ref: string;
}

/**
 * A customer complained: marketing to the phone stops until a person at the merchant clears it
 * (`DELETE /v1/members/{phone}/suppression`), and the complaint counts against the campaign it
 * answers. Service texts still go. A retry with the same `ref` records and counts nothing more.
 */
export async function recordComplaint(
  deps: RecordComplaintDeps,
  complaint: Complaint,
): Promise<{ status: 'recorded' | 'replayed'; campaignId?: string }> {
  const { merchantId, phone, at, channel, source, ref } = complaint;
  const { campaignId, count } = await campaignAnswered(deps, complaint, 'complaints');
  const status = await deps.members.recordComplaint(
    merchantId,
    phone,
    {
      reason: 'complaint',
      at: at.toISOString(),
      channel,
      source: proofText(source),
      ref,
      ...(campaignId ? { campaignId } : {}),
    },
    {
      count,
      // Committed with the complaint, in the outbox: a replay writes neither again.
      events: [
        eventOf(memberComplained, {
          eventId: `complaint:${ref}`,
          merchantId,
          phone,
          channel,
          ...(campaignId ? { campaignId } : {}),
          at: at.toISOString(),
        }),
      ],
    },
  );
  return { status, ...(campaignId ? { campaignId } : {}) };
}
