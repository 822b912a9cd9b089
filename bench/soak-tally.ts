import { setTimeout as sleep } from 'node:timers/promises';
import type { Reply } from './soak-shop';
import { type TextKind, textKinds } from './soak-traffic';

export const callKinds = [
  'earn',
  'earn retried with its key',
  'member read',
  'member list page',
  'campaign',
] as const;
export type CallKind = (typeof callKinds)[number];

/** What the traffic did and expects: replies owed by inbound id, statuses by route, latencies. */
export class Tally {
  readonly texts = new Map<TextKind, number>(textKinds.map((kind) => [kind, 0]));
  readonly calls = new Map<CallKind, number>(callKinds.map((kind) => [kind, 0]));
  /** Inbound id → when it was posted, for every text owed one reply. */
  readonly owed = new Map<string, number>();
  /** Inbound ids of texts owed no reply (a repeated opt-out); a replay repeats an id already counted. */
  readonly unowed = new Set<string>();
  readonly textMs: number[] = [];
  readonly callMs: number[] = [];
  /** 5xx answers tried again (a function timing out on a loaded machine, say), by `<route> <status>`. */
  readonly retried = new Map<string, Answers>();
  /** Requests never answered as expected, even after their retries: what they did is unknown. */
  readonly unsettled = new Map<string, Answers>();
  readonly campaigns: string[] = [];

  count<Key>(map: Map<Key, number>, key: Key) {
    map.set(key, (map.get(key) ?? 0) + 1);
  }

  note(answers: Map<string, Answers>, route: string, reply: Reply) {
    const key = `${route} ${reply.status}`;
    const seen = answers.get(key) ?? { count: 0, example: JSON.stringify(reply.body).slice(0, 200) };
    seen.count += 1;
    answers.set(key, seen);
  }
}

/** How often a route gave one answer, and the first such answer's body. */
export type Answers = { count: number; example: string };

/**
 * A request as a careful client makes it: a 5xx is tried twice more, a second apart, with the same
 * ids (the inbound message id, the idempotency key), as SNS and Lambda retry a text and a merchant
 * retries a write. Undefined, and noted as unsettled, when the answer is still not one expected.
 */
export async function request(
  tally: Tally,
  route: string,
  expected: readonly number[],
  send: () => Promise<Reply>,
): Promise<Reply | undefined> {
  let reply = await send();
  for (let attempt = 1; reply.status >= 500 && attempt < 3; attempt++) {
    tally.note(tally.retried, route, reply);
    await sleep(1000);
    reply = await send();
  }
  if (expected.includes(reply.status)) return reply;
  tally.note(tally.unsettled, route, reply);
  return undefined;
}
