import { eventOf, ledgerEvents } from '../../events';
import type { EventPublisher } from '../bus/publisher';
import type { Balances } from '../domain/ledger';
import type { Entry, LedgerStore, PostInput, PostOutcome } from '../store/ledger';

export interface PostDeps {
  ledger: Pick<LedgerStore, 'post'>;
  events: EventPublisher;
}

/**
 * One posting to a member's books, once per idempotency key, and its event (`points.earned`,
 * `stored-value.topped-up` …): published on a replay too, with the same event id, as the first
 * attempt may have stopped before it. What the API's ledger routes and the staff commands share.
 */
export async function postToLedger(input: PostInput, deps: PostDeps): Promise<PostOutcome> {
  const outcome = await deps.ledger.post(input);
  if (outcome.status !== 'applied' && outcome.status !== 'replayed') return outcome;
  await publishEntry(input, outcome, deps);
  return outcome;
}

/** The event of a ledger entry written (an exchange writes its entry with its claim). */
export async function publishEntry(
  input: Pick<PostInput, 'merchantId' | 'member'>,
  { entry, balances }: { entry: Entry; balances: Balances },
  deps: Pick<PostDeps, 'events'>,
) {
  await deps.events.publish(
    eventOf(ledgerEvents[entry.type], {
      eventId: `ledger:${entry.idempotencyKey}`,
      merchantId: input.merchantId,
      memberId: input.member.memberId,
      balance: balances[entry.book],
      ...entry,
    }),
  );
}
