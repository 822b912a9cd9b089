import type * as z from 'zod';
import {
  benefitClaimed,
  memberComplained,
  pointsEarned,
  pointsRedeemed,
  smsReceived,
  storedValueSpent,
} from '../../events';
import type { EventType } from '../../events/catalog';
import { applyActivity } from '../../shared/domain/retention';
import { dateIn } from '../../shared/domain/time';
import type { ActivityEvent } from '../../shared/schemas/retention';
import type { ActivityMember, ActivityStore, RecordOutcome } from '../../shared/store/activity';
import type { DirectoryStore } from '../../shared/store/directory';

/** One event as it counts on one member's activity facts. */
export interface MemberActivityEvent {
  merchantId: string;
  member: ActivityMember;
  event: ActivityEvent;
}

/** An event type, and what it counts on the member: nothing when it is not the customer's doing. */
function reading<Schema extends z.ZodType>(
  type: EventType<Schema>,
  read: (detail: z.infer<Schema>) => MemberActivityEvent | undefined,
) {
  return { detailType: type.detailType, read: (detail: unknown) => read(type.detail.parse(detail)) };
}

const readings = [
  // Bonus points (no purchase) are the merchant's doing, not the customer's.
  reading(pointsEarned, (d) =>
    d.purchaseCents
      ? {
          merchantId: d.merchantId,
          member: { memberId: d.memberId },
          event: {
            eventId: d.eventId,
            at: d.at,
            add: { purchases: 1, spendCents: d.purchaseCents },
            ...(d.storeId ? { storeId: d.storeId } : {}),
          },
        }
      : undefined,
  ),
  reading(pointsRedeemed, (d) => ({
    merchantId: d.merchantId,
    member: { memberId: d.memberId },
    event: { eventId: d.eventId, at: d.at, add: { redemptions: 1 } },
  })),
  reading(storedValueSpent, (d) => ({
    merchantId: d.merchantId,
    member: { memberId: d.memberId },
    event: { eventId: d.eventId, at: d.at, add: { storedValueSpendCents: -d.delta } },
  })),
  // A benefit a retention rule, a join gift or a referral granted is the merchant's offer, not the
  // customer's claim.
  reading(benefitClaimed, (d) =>
    d.channel === 'retention' || d.channel === 'reward'
      ? undefined
      : {
          merchantId: d.merchantId,
          member: { memberId: d.memberId },
          event: { eventId: d.eventId, at: d.claimedAt, add: { claims: 1 } },
        },
  ),
  reading(smsReceived, (d) => ({
    merchantId: d.merchantId,
    member: { phone: d.phone },
    event: {
      eventId: d.eventId,
      at: d.receivedAt,
      add: { inbound: 1, ...(d.intent === 'opt-out' ? { optOutAttempts: 1 } : {}) },
    },
  })),
  reading(memberComplained, (d) => ({
    merchantId: d.merchantId,
    member: { phone: d.phone },
    event: { eventId: d.eventId, at: d.at, add: { complaints: 1 } },
  })),
];

/** The rule delivered an event this function does not read: its subscription and this list disagree. */
export class UnexpectedEventError extends Error {
  constructor(detailType: string) {
    super(`${detailType} is not an event member-activity counts`);
    this.name = 'UnexpectedEventError';
  }
}

/** What an event counts on a member's facts; throws on an event type or detail it cannot read. */
export function activityOf(detailType: string, detail: unknown): MemberActivityEvent | undefined {
  const known = readings.find((r) => r.detailType === detailType);
  if (!known) throw new UnexpectedEventError(detailType);
  return known.read(detail);
}

export interface CountActivityDeps {
  directory: Pick<DirectoryStore, 'merchant'>;
  activity: Pick<ActivityStore, 'record'>;
  clock: () => Date;
}

/** Counts the event on the day it happened, in the merchant's time zone; once per event id. */
export async function countActivity(
  { merchantId, member, event }: MemberActivityEvent,
  deps: CountActivityDeps,
): Promise<RecordOutcome | 'no-merchant'> {
  const merchant = await deps.directory.merchant(merchantId);
  if (!merchant) return 'no-merchant';
  const day = dateIn(merchant.timeZone, new Date(event.at));
  const today = dateIn(merchant.timeZone, deps.clock());
  return deps.activity.record(merchantId, member, event, (activity) =>
    applyActivity(activity, event, day, today),
  );
}
