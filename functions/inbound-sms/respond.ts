import { ulid } from 'ulidx';
import { eventOf, memberConsentChanged, memberRegistered } from '../../events';
import type { EventPublisher } from '../../shared/bus/events';
import { type Intent, readKeyword } from '../../shared/domain/keywords';
import { maskPhone, toMobileE164 } from '../../shared/domain/phone';
import { type ReplyContext, replies } from '../../shared/domain/replies';
import { dateIn } from '../../shared/domain/time';
import { logger } from '../../shared/log';
import type { OutboundQueue } from '../../shared/queue/outbound';
import type { Merchant } from '../../shared/schemas/merchant';
import type { InboundSmsNotification } from '../../shared/schemas/sms';
import type { DirectoryStore } from '../../shared/store/directory';
import type { MembersStore } from '../../shared/store/members';

export interface InboundDeps {
  directory: DirectoryStore;
  members: MembersStore;
  outbound: OutboundQueue;
  events: EventPublisher;
  clock: () => Date;
}

export interface InboundOutcome {
  intent: Intent['kind'] | 'not-routed';
  replied: boolean;
}

interface Inbound {
  text: InboundSmsNotification;
  merchant: Merchant;
  phone: string;
  reply: ReplyContext;
  now: Date;
}

/**
 * Answers one customer text: finds the merchant by the number texted, reads the keyword and acts.
 * Every reply is a service text queued under an id derived from the inbound message, so however
 * often the provider delivers the text, at most one reply goes out.
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
      reason: merchant ? phone?.ok === false && phone.reason : 'no merchant uses this number',
    });
    return { intent: 'not-routed', replied: false };
  }
  const now = deps.clock();
  const intent = readKeyword(text.messageBody, dateIn(merchant.timeZone, now));
  const reply = { lang: intent.lang, merchantName: merchant.name };
  const body = await act(intent, { text, merchant, phone: phone.phone, reply, now }, deps);
  if (body) {
    await deps.outbound.enqueue({
      messageId: `reply:${text.inboundMessageId}`,
      merchantId: merchant.merchantId,
      to: phone.phone,
      body,
      category: 'service',
    });
  }
  return { intent: intent.kind, replied: Boolean(body) };
}

async function act(intent: Intent, inbound: Inbound, deps: InboundDeps): Promise<string | undefined> {
  const { merchant, phone, reply, text, now } = inbound;
  switch (intent.kind) {
    case 'join': {
      const { member } = await deps.members.contact(merchant.merchantId, phone);
      if (member && member.joinRef !== text.inboundMessageId) return replies.alreadyMember(reply);
      const joined = member ?? {
        merchantId: merchant.merchantId,
        memberId: ulid(now.getTime()),
        phone,
        name: intent.name,
        birthday: intent.birthday,
        joinedAt: now.toISOString(),
        joinChannel: 'sms' as const,
        joinRef: text.inboundMessageId,
        points: 0,
      };
      if (!member && !(await deps.members.register(joined))) return replies.alreadyMember(reply);
      await deps.events.publish(
        eventOf(memberRegistered, {
          eventId: `register:${text.inboundMessageId}`,
          merchantId: merchant.merchantId,
          memberId: joined.memberId,
          channel: 'sms',
          joinedAt: joined.joinedAt,
        }),
      );
      return replies.welcome(reply, joined.name);
    }
    case 'join-invalid':
      return replies.joinInvalid(reply, intent.problem);
    case 'points': {
      const { member } = await deps.members.contact(merchant.merchantId, phone);
      return member ? replies.points(reply, member.points, member.tier) : replies.notMember(reply);
    }
    case 'opt-out':
    case 'opt-in': {
      const status = intent.kind === 'opt-out' ? 'unsubscribed' : 'subscribed';
      const consent = {
        status,
        changedAt: now.toISOString(),
        channel: 'sms-keyword',
        source: text.messageBody.slice(0, 200),
        ref: text.inboundMessageId,
      } as const;
      const changed = await deps.members.recordMarketingConsent(merchant.merchantId, phone, consent);
      const retried =
        !changed && (await deps.members.contact(merchant.merchantId, phone)).marketing?.ref === consent.ref;
      if (changed || retried) {
        await deps.events.publish(
          eventOf(memberConsentChanged, {
            eventId: `consent:${text.inboundMessageId}`,
            merchantId: merchant.merchantId,
            phone,
            status,
            channel: consent.channel,
            changedAt: consent.changedAt,
          }),
        );
      }
      // An opt-out is confirmed once; repeating it must not bring more texts.
      if (status === 'unsubscribed') return changed || retried ? replies.optedOut(reply) : undefined;
      return replies.optedIn(reply);
    }
    case 'too-long':
      return replies.tooLong(reply);
    case 'help':
    case 'unknown':
      return replies.help(reply);
  }
}
