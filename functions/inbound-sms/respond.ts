import { eventOf, smsReceived } from '../../events';
import { refusalText } from '../../shared/domain/benefits';
import { type Intent, readKeyword } from '../../shared/domain/keywords';
import { soonestExpiring } from '../../shared/domain/ledger';
import { maskPhone, toMobileE164 } from '../../shared/domain/phone';
import { replies } from '../../shared/domain/replies';
import { dateIn } from '../../shared/domain/time';
import { logger } from '../../shared/log';
import type { OutboundQueue } from '../../shared/queue/outbound-queue';
import type { InboundSmsNotification } from '../../shared/schemas/sms';
import type { BenefitsStore } from '../../shared/store/benefits';
import type { DirectoryStore } from '../../shared/store/directory';
import type { ExchangesStore } from '../../shared/store/exchanges';
import type { LedgerStore } from '../../shared/store/ledger';
import type { MembersStore } from '../../shared/store/members';
import type { OutboxWriter } from '../../shared/store/outbox';
import { activeCoupons, claimableBenefits, claimBenefit } from '../../shared/use-cases/claim-benefit';
import {
  type CampaignReplyDeps,
  campaignAnswered,
  recordComplaint,
} from '../../shared/use-cases/record-complaint';
import { answerExchange, grantedReply } from './exchanges';
import type { Handled, Inbound } from './inbound';
import { answerJoin, consentByText, consentChanged, type JoinInboundDeps } from './join';
import { appKeywords, type KeywordAppInboundDeps, runKeywordApp } from './keyword-apps';
import { answerStaffCommand, type StaffInboundDeps } from './staff-commands';
import { answerSurvey, type SurveyInboundDeps } from './surveys';
import { openTicket, type TicketInboundDeps } from './tickets';

export interface InboundDeps
  extends CampaignReplyDeps,
    SurveyInboundDeps,
    TicketInboundDeps,
    KeywordAppInboundDeps,
    StaffInboundDeps,
    JoinInboundDeps {
  directory: DirectoryStore;
  members: MembersStore;
  ledger: Pick<LedgerStore, 'lots' | 'post'>;
  benefits: BenefitsStore;
  exchanges: ExchangesStore;
  outbound: OutboundQueue;
  /** Where `sms.received` is committed: the text's own event, with no other write to join. */
  outbox: OutboxWriter;
  clock: () => Date;
}

export interface InboundOutcome {
  /**
   * The keyword read, or what took the text instead: a staff command, an open survey, a merchant's
   * keyword app.
   */
  intent: Handled['as'] | 'staff-command' | 'not-routed';
  replied: boolean;
}

/**
 * Answers one text: finds the merchant by the number texted; a staff command from the merchant's
 * staff is done as such, anything else is read as a customer's keyword and acted on. Every reply is
 * a service text queued under an id derived from the inbound message, so however often the provider
 * delivers the text, at most one reply goes out.
 */
export async function respondToText(
  text: InboundSmsNotification,
  deps: InboundDeps,
): Promise<InboundOutcome> {
  const merchant = await deps.directory.merchantByNumber(text.destinationNumber);
  const phone = merchant && toMobileE164(text.originationNumber, merchant.defaultCountry);
  if (!merchant || !phone?.ok) {
    logger.warn('inbound text not routed', {
      to: text.destinationNumber,
      from: maskPhone(text.originationNumber),
      // Not the phone check's own reason: it quotes the number in full, and `from` names it masked.
      reason: merchant ? 'the sender is not a mobile number' : 'no merchant uses this number',
    });
    return { intent: 'not-routed', replied: false };
  }
  const now = deps.clock();
  const replyWith = (body: string) =>
    deps.outbound.enqueue({
      messageId: `reply:${text.inboundMessageId}`,
      merchantId: merchant.merchantId,
      to: phone.phone,
      body,
      category: 'service',
    });
  // Staff at the counter are not customers texting the shop: no activity event for the churn facts.
  const staffCommand = await answerStaffCommand({ text, merchant, phone: phone.phone, now }, deps);
  if (staffCommand) {
    await replyWith(staffCommand.reply);
    return { intent: 'staff-command', replied: true };
  }
  const intent = readKeyword(text.messageBody, dateIn(merchant.timeZone, now), {
    optOutKeywords: merchant.sending.optOutKeywords,
  });
  const reply = { lang: intent.lang, merchantName: merchant.name };
  const inbound: Inbound = { text, merchant, phone: phone.phone, reply, now };
  const handled = await route(intent, inbound, deps);
  if (handled.reply) await replyWith(handled.reply);
  // Every routed text is activity (an opt-out attempt too, even a repeated one): the churn facts count
  // it. The event is a write of its own, to the outbox; the actions above are each idempotent by the
  // inbound message id, so an invocation that dies before it is run again whole (SNS's retries, past
  // the idempotency record left in progress) and commits it then.
  await deps.outbox.commit(
    [
      eventOf(smsReceived, {
        eventId: `inbound:${text.inboundMessageId}`,
        merchantId: merchant.merchantId,
        phone: phone.phone,
        inboundMessageId: text.inboundMessageId,
        intent: handled.as,
        receivedAt: now.toISOString(),
      }),
    ],
    now,
  );
  return { intent: handled.as, replied: Boolean(handled.reply) };
}

/**
 * Opt-out, opt-in and complaints act whatever the member is doing. Otherwise an open survey takes
 * the text as its answer if it can; then the system keywords; then the merchant's keyword apps.
 */
async function route(intent: Intent, inbound: Inbound, deps: InboundDeps): Promise<Handled> {
  if (intent.kind !== 'opt-out' && intent.kind !== 'opt-in' && intent.kind !== 'complaint') {
    const answered = await answerSurvey(intent, inbound, deps);
    if (answered) return answered;
  }
  if (intent.kind === 'unknown') {
    const app = await runKeywordApp(inbound, deps);
    if (app) return app;
  }
  return { as: intent.kind, reply: await answerKeyword(intent, inbound, deps) };
}

/** Does what a system keyword asks and answers it: the reply, or undefined when none is owed. */
async function answerKeyword(
  intent: Intent,
  inbound: Inbound,
  deps: InboundDeps,
): Promise<string | undefined> {
  const { merchant, phone, reply, text, now } = inbound;
  switch (intent.kind) {
    case 'join':
      return answerJoin(intent, inbound, deps);
    case 'join-invalid':
      return replies.joinInvalid(reply, intent.problem);
    case 'points': {
      const { member } = await deps.members.contact(merchant.merchantId, phone);
      if (!member || member.deletedAt) return replies.notMember(reply);
      const lots = await deps.ledger.lots(merchant.merchantId, member.memberId);
      const expiring = soonestExpiring(lots, member.pointsConsumed, dateIn(merchant.timeZone, now));
      const tier = merchant.loyalty.tiers.find((t) => t.code === member.tier)?.name;
      return replies.points(reply, member.points, tier, expiring);
    }
    case 'claim': {
      const { member } = await deps.members.contact(merchant.merchantId, phone);
      if (!member || member.deletedAt)
        return refusalText('not-member', reply.lang, { merchantName: merchant.name });
      if (!intent.code) return replies.claimable(reply, await claimableBenefits(merchant, member, now, deps));
      const result = await claimBenefit(
        { merchant, member, code: intent.code, idempotencyKey: text.inboundMessageId, channel: 'sms', now },
        deps,
      );
      if (!result.ok) {
        return refusalText(result.reason, reply.lang, {
          merchantName: merchant.name,
          benefit: result.benefit,
          balance: result.balance,
        });
      }
      return grantedReply(result, merchant, reply);
    }
    case 'exchange':
      return answerExchange(intent, inbound, deps);
    case 'coupons': {
      const { member } = await deps.members.contact(merchant.merchantId, phone);
      if (!member || member.deletedAt) return replies.notMember(reply);
      return replies.coupons(reply, await activeCoupons(merchant, member, now, deps));
    }
    case 'opt-out':
    case 'opt-in': {
      const status = intent.kind === 'opt-out' ? 'unsubscribed' : 'subscribed';
      // An opt-out answering a campaign text counts in that campaign's stats, in the same write as
      // the consent record, so a text delivered twice counts once.
      const answered =
        status === 'unsubscribed'
          ? await campaignAnswered(
              deps,
              { merchantId: merchant.merchantId, phone, at: now, ref: text.inboundMessageId },
              'optOuts',
            )
          : {};
      const outcome = await deps.members.recordMarketingConsent(
        merchant.merchantId,
        phone,
        consentByText(inbound, status, intent.keyword, answered.campaignId),
        // Committed with the change, in the outbox: a replay writes neither again.
        { count: answered.count, events: [consentChanged(inbound, status)] },
      );
      // An opt-out is confirmed once; repeating it must not bring more texts.
      if (status === 'unsubscribed') return outcome !== 'unchanged' ? replies.optedOut(reply) : undefined;
      return replies.optedIn(reply);
    }
    case 'complaint':
      await recordComplaint(deps, {
        merchantId: merchant.merchantId,
        phone,
        at: now,
        channel: 'sms-keyword',
        source: text.messageBody,
        ref: text.inboundMessageId,
      });
      return openTicket('complaint', inbound, deps);
    case 'feedback':
      return intent.text ? openTicket(intent.type, inbound, deps) : replies.feedbackEmpty(reply, intent.type);
    case 'too-long':
      return replies.tooLong(reply);
    case 'help':
    case 'unknown':
      return replies.help(
        reply,
        await appKeywords(merchant.merchantId, deps),
        merchant.signature,
        merchant.sending.optOutKeywords,
      );
  }
}
