import { churnZoneChanged, type DomainEvent, eventOf } from '../../events';
import type { EventPublisher } from '../../shared/bus/publisher';
import {
  activityFacts,
  addCohorts,
  addToHistograms,
  emptyHistograms,
  memberCohorts,
  rfmValues,
  scoreMember,
  transitionKey,
} from '../../shared/domain/retention';
import { dateIn } from '../../shared/domain/time';
import type { Merchant } from '../../shared/schemas/merchant';
import type { ScoringRun, ZoneSnapshot } from '../../shared/schemas/retention';
import type {
  MemberScores,
  RetentionStore,
  ScoringMember,
  ScoringMembersPage,
  ScoringMembersStore,
} from '../../shared/store/retention';

export interface ScoringDeps {
  retention: Pick<RetentionStore, 'saveRun' | 'putSnapshot'>;
  members: ScoringMembersStore;
  events: EventPublisher;
  clock: () => Date;
  /** Members read per page, and checkpointed together (DynamoDB may answer fewer: 1 MB at most). */
  pageSize: number;
}

/** Members per page as deployed: the most the scoring read allows. */
export const scoringPageSize = 1000;

/** Member writes of a page in flight at once, and PutEvents requests (ten events each). */
const writeStreams = 16;
const publishStreams = 4;

export type RunOutcome =
  | { outcome: 'done'; run: ScoringRun }
  /** Out of time: the checkpoint is saved, and the next invocation continues from it. */
  | { outcome: 'continues'; run: ScoringRun }
  /** Another invocation moved the checkpoint on; this one leaves the run to it. */
  | { outcome: 'taken'; run: ScoringRun };

/**
 * Works through one run from its checkpoint until it is done or `outOfTime()`: a counting pass builds
 * the merchant's RFM histograms, then a scoring pass scores each member against them, publishes zone
 * changes, writes the members whose scores changed, and counts zones, transitions and cohorts. Each
 * page is checkpointed; a page begun again after a crash gives the same counts and the same events.
 */
export async function scoreRun(
  merchant: Merchant,
  requested: ScoringRun,
  outOfTime: () => boolean,
  deps: ScoringDeps,
): Promise<RunOutcome> {
  let run = requested;
  const move = async (next: ScoringRun) => {
    const moved = await deps.retention.saveRun(next, run);
    if (moved) run = next;
    return moved;
  };
  if (run.status === 'requested') {
    const now = deps.clock().toISOString();
    const { cursor: _, ...unstarted } = run;
    const started: ScoringRun = {
      ...unstarted,
      status: 'counting',
      startedAt: now,
      counted: 0,
      scored: 0,
      histograms: emptyHistograms(),
      zones: {},
      transitions: {},
      cohorts: {},
      updatedAt: now,
    };
    if (!(await move(started))) return { outcome: 'taken', run };
  }
  while (run.status !== 'done') {
    if (outOfTime()) return { outcome: 'continues', run };
    const page = await deps.members.page(merchant.merchantId, { limit: deps.pageSize, cursor: run.cursor });
    const next =
      run.status === 'counting' ? countPage(run, page, merchant) : await scorePage(run, page, merchant, deps);
    const checkpoint = { ...next, updatedAt: deps.clock().toISOString() };
    if (checkpoint.status === 'done') await deps.retention.putSnapshot(snapshotOf(checkpoint, merchant));
    if (!(await move(checkpoint))) return { outcome: 'taken', run };
  }
  return { outcome: 'done', run };
}

/** The merchant's date the run scores for: every fact is as of this day. */
const runDate = (run: ScoringRun, merchant: Merchant) => dateIn(merchant.timeZone, new Date(run.asOf));

/** The run after `page`, with `cursor` where the next starts; after the last page, `last` of it. */
function after(run: ScoringRun, page: ScoringMembersPage, last: (run: ScoringRun) => ScoringRun): ScoringRun {
  const { cursor: _, ...rest } = run;
  return page.cursor ? { ...rest, cursor: page.cursor } : last(rest);
}

const current = (members: ScoringMember[]) => members.filter((member) => member.deletedAt === undefined);

function countPage(run: ScoringRun, page: ScoringMembersPage, merchant: Merchant): ScoringRun {
  const today = runDate(run, merchant);
  const histograms = structuredClone(run.histograms ?? emptyHistograms());
  const members = current(page.members);
  for (const member of members) {
    addToHistograms(histograms, rfmValues(activityFacts(member, today, merchant.timeZone)));
  }
  return after({ ...run, histograms, counted: run.counted + members.length }, page, (counted) => ({
    ...counted,
    status: 'scoring',
  }));
}

async function scorePage(
  run: ScoringRun,
  page: ScoringMembersPage,
  merchant: Merchant,
  deps: ScoringDeps,
): Promise<ScoringRun> {
  const today = runDate(run, merchant);
  const zones = { ...run.zones };
  const transitions = { ...run.transitions };
  const cohorts = structuredClone(run.cohorts);
  const changes: DomainEvent[] = [];
  const writes: { phone: string; scores: MemberScores }[] = [];
  const histograms = run.histograms ?? emptyHistograms();
  const members = current(page.members);
  for (const member of members) {
    const scored = scoreMember(member, merchant.retention, histograms, today, merchant.timeZone);
    // Written by this run already, before a crash lost the page's checkpoint: the zone it left is kept.
    const before = member.churn?.runId === run.runId ? member.churn.previousZone : member.churnZone;
    const churn = {
      score: scored.score,
      rules: scored.rules,
      runId: run.runId,
      scoredAt: run.asOf,
      ...(before ? { previousZone: before } : {}),
    };
    zones[scored.zone] = (zones[scored.zone] ?? 0) + 1;
    addCohorts(cohorts, memberCohorts(member.activity, today, merchant.timeZone));
    if (before !== scored.zone) {
      const key = transitionKey(before, scored.zone);
      transitions[key] = (transitions[key] ?? 0) + 1;
      changes.push(
        eventOf(churnZoneChanged, {
          eventId: `zone:${run.runId}:${member.memberId}`,
          merchantId: merchant.merchantId,
          memberId: member.memberId,
          phone: member.phone,
          ...(before ? { from: before } : {}),
          to: scored.zone,
          score: churn.score,
          rules: churn.rules,
          runId: run.runId,
          scoredAt: churn.scoredAt,
        }),
      );
    }
    if (scoresChanged(member, scored.zone, churn, scored.rfm)) {
      writes.push({ phone: member.phone, scores: { rfm: scored.rfm, churnZone: scored.zone, churn } });
    }
  }
  // Published before the members are written: a crash in between publishes the same ids again on the
  // page's retry (subscribers act once per id) rather than leaving a change no one heard of.
  await inStreams(chunks(changes, 10), publishStreams, (events) => deps.events.publish(...events));
  await inStreams(writes, writeStreams, ({ phone, scores }) =>
    deps.members.saveScores(merchant.merchantId, phone, scores),
  );
  // The histograms served the scoring pass only: a done run stays small for the run list.
  return after(
    { ...run, zones, transitions, cohorts, scored: run.scored + members.length },
    page,
    (scored) => {
      const { histograms: _, ...done } = scored;
      return { ...done, status: 'done', finishedAt: deps.clock().toISOString() };
    },
  );
}

/** Whether the member holds other scores than these: which run wrote them, and when, aside. */
function scoresChanged(
  member: ScoringMember,
  zone: MemberScores['churnZone'],
  churn: MemberScores['churn'],
  rfm: MemberScores['rfm'],
): boolean {
  const held = member.churn;
  return (
    member.churnZone !== zone ||
    held?.score !== churn.score ||
    held.rules.join() !== churn.rules.join() ||
    member.rfm?.recency !== rfm.recency ||
    member.rfm.frequency !== rfm.frequency ||
    member.rfm.monetary !== rfm.monetary
  );
}

function snapshotOf(run: ScoringRun, merchant: Merchant): ZoneSnapshot {
  return {
    merchantId: run.merchantId,
    date: runDate(run, merchant),
    runId: run.runId,
    zones: run.zones,
    transitions: run.transitions,
    cohorts: run.cohorts,
    scoredAt: run.asOf,
  };
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

/** Runs `work` on every item, `streams` at a time. */
async function inStreams<T>(items: T[], streams: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const stream = async () => {
    for (let i = next++; i < items.length; i = next++) await work(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(streams, items.length) }, stream));
}
