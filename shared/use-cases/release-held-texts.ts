import { heldTextDecision } from '../domain/held-texts';
import { windowDecision } from '../domain/send-window';
import { dateIn } from '../domain/time';
import { count, metricNames, reasonCode } from '../metrics';
import type { OutboundQueue } from '../queue/outbound-queue';
import type { Merchant } from '../schemas/merchant';
import type { HeldTextsStore } from '../store/held-texts';

export interface ReleaseHeldTextsDeps {
  held: HeldTextsStore;
  outbound: Pick<OutboundQueue, 'enqueue'>;
}

export interface HeldTextsOutcome {
  released: number;
  requeued: number;
  expired: number;
}

/**
 * The merchant's texts held over a carrier cap on an earlier day: each goes again inside the send
 * window, under its own message id (so send-sms sends it once however often it is queued), or
 * expires once it has waited longer than the merchant allows. The record is marked released before
 * the text is queued; should queueing fail, a later run finds it released and not taken up, and
 * queues it again.
 */
export async function releaseHeldTexts(
  merchant: Merchant,
  now: Date,
  deps: ReleaseHeldTextsDeps,
): Promise<HeldTextsOutcome> {
  const today = dateIn(merchant.timeZone, now);
  const inWindow = windowDecision(now, merchant.timeZone, merchant.sending.marketingHours).send;
  const expiryDays = merchant.sending.heldTextExpiryDays;
  const outcome: HeldTextsOutcome = { released: 0, requeued: 0, expired: 0 };
  for await (const text of deps.held.heldBefore(merchant.merchantId, today)) {
    const decision = heldTextDecision(text, { today, now, inWindow, expiryDays });
    const again = { ...text.sms, heldSince: text.heldSince ?? text.heldOn };
    switch (decision.action) {
      case 'release':
        if (await deps.held.release(text.sms, now)) {
          await deps.outbound.enqueue(again);
          outcome.released++;
          count(metricNames.textsReleased, { reason: reasonCode(text.reason) });
        }
        break;
      case 'requeue':
        await deps.outbound.enqueue(again);
        outcome.requeued++;
        break;
      case 'expire':
        if (await deps.held.expire(text.sms, text.reason, decision.daysHeld, now)) {
          outcome.expired++;
          count(metricNames.textsExpired, { reason: reasonCode(text.reason) });
        }
        break;
      case 'wait':
        break;
    }
  }
  return outcome;
}
