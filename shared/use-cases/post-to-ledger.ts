import type { LedgerStore, PostInput, PostOutcome } from '../store/ledger';

export interface PostDeps {
  ledger: Pick<LedgerStore, 'post'>;
}

/**
 * One posting to a member's books, once per idempotency key. Its event (`points.earned`,
 * `stored-value.topped-up` …) is written to the outbox in the posting's own transaction and published
 * from there (functions/outbox-publisher), so a function that dies after the write loses no event.
 * What the API's ledger routes and the staff commands share.
 */
export async function postToLedger(input: PostInput, deps: PostDeps): Promise<PostOutcome> {
  return deps.ledger.post(input);
}
