import type { TierEvaluationKind } from '../../shared/domain/tiers';
import { dateIn } from '../../shared/domain/time';
import { logger } from '../../shared/log';
import type { Merchant } from '../../shared/schemas/merchant';
import type { JobsStore } from '../../shared/store/jobs';
import type { LedgerStore } from '../../shared/store/ledger';
import type { MembersStore } from '../../shared/store/members';
import { walkCheckpointed } from '../../shared/use-cases/checkpointed-walk';
import { applyTierEvaluation, type TierDeps } from '../../shared/use-cases/evaluate-tier';
import { backfillMemberIndex } from '../../shared/use-cases/member-index-backfill';

export interface LoyaltyJobDeps extends TierDeps {
  jobs: JobsStore;
  members: MembersStore;
  ledger: LedgerStore;
}

const pageSize = 100;

/**
 * The loyalty jobs of every merchant, for the instant `now`, each in the merchant's time zone:
 * give members written before the tier and tag lists had indexes their index data (once per
 * merchant), expire the points whose last day has passed, end packages, re-evaluate tiers after the
 * merchant changed the tier table, and on the 1st of the month (and on 1 January) re-evaluate tiers.
 * Every step is safe to repeat: a repeated or overlapping run finds the work done (the expiry index
 * empties, packages leave theirs, the index backfill and tier runs are checkpointed).
 */
export async function runLoyaltyJobs(now: Date, deadline: number, deps: LoyaltyJobDeps): Promise<void> {
  for await (const merchant of deps.jobs.merchants()) {
    // Once done for the merchant, a single read of its checkpoint each run.
    await backfillMemberIndex(merchant.merchantId, deadline, deps);
    await expirePoints(merchant, now, deps);
    await endPackages(merchant, now, deps);
    await reevaluateChangedTable(merchant, now, deadline, deps);
    await evaluateTiers(merchant, now, deadline, deps);
    if (Date.now() > deadline) {
      logger.warn('loyalty jobs out of time; the next run continues', { merchantId: merchant.merchantId });
      return;
    }
  }
}

function previousDay(date: string): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

export async function expirePoints(merchant: Merchant, now: Date, deps: LoyaltyJobDeps): Promise<void> {
  const today = dateIn(merchant.timeZone, now);
  const through = previousDay(today);
  let cursor: string | undefined;
  do {
    const page = await deps.ledger.dueForExpiry(merchant.merchantId, today, pageSize, cursor);
    for (const member of page.members) {
      // The expiry's event is committed with it, in the outbox (shared/store/outbox.ts).
      await deps.ledger.expire({
        merchantId: merchant.merchantId,
        member,
        through,
        idempotencyKey: `expire:${member.memberId}:${through}`,
        at: now,
        year: today.slice(0, 4),
      });
    }
    cursor = page.cursor;
  } while (cursor);
}

export async function endPackages(merchant: Merchant, now: Date, deps: LoyaltyJobDeps): Promise<void> {
  const ended = await deps.tiers.packagesEnded(merchant.merchantId, now.toISOString(), pageSize);
  for (const { phone } of ended) {
    const { member } = await deps.members.contact(merchant.merchantId, phone);
    if (!member?.tierPackage) continue;
    await applyTierEvaluation(
      { merchant, member, kind: 'package-ended', now, runId: `package-ended:${member.tierPackage.endsAt}` },
      deps,
    );
  }
}

/** 1 January: the yearly evaluation (up or down); the 1st of another month: upgrades only. */
export function tierRunFor(localDate: string): { kind: TierEvaluationKind; period: string } | undefined {
  if (localDate.endsWith('-01-01')) return { kind: 'yearly', period: localDate.slice(0, 4) };
  if (localDate.endsWith('-01')) return { kind: 'monthly', period: localDate.slice(0, 7) };
  return undefined;
}

export async function evaluateTiers(merchant: Merchant, now: Date, deadline: number, deps: LoyaltyJobDeps) {
  const run = tierRunFor(dateIn(merchant.timeZone, now));
  if (run) await walkTierRun(merchant, run, now, deadline, deps);
}

/**
 * After the merchant changed the tier table: every member once against the new table, checkpointed
 * as the scheduled runs are (the period is the change's time, so a later change walks again).
 */
export async function reevaluateChangedTable(
  merchant: Merchant,
  now: Date,
  deadline: number,
  deps: LoyaltyJobDeps,
) {
  if (!merchant.tiersChangedAt) return;
  await walkTierRun(
    merchant,
    { kind: 'table-changed', period: merchant.tiersChangedAt },
    now,
    deadline,
    deps,
  );
}

/** Evaluates every current member for a run, a page at a time, saving the cursor after each page. */
async function walkTierRun(
  merchant: Merchant,
  run: { kind: TierEvaluationKind; period: string },
  now: Date,
  deadline: number,
  deps: LoyaltyJobDeps,
) {
  const runId = `${run.kind}:${run.period}`;
  const walk = { merchantId: merchant.merchantId, job: `tiers-${run.kind}`, period: run.period };
  await walkCheckpointed(deps.jobs, walk, deadline, async (cursor) => {
    const page = await deps.members.list(merchant.merchantId, { limit: pageSize, cursor });
    for (const member of page.members) {
      const outcome = await applyTierEvaluation({ merchant, member, kind: run.kind, now, runId }, deps);
      if (outcome.status === 'conflict') {
        // Changed while we looked (an earn or a package): evaluate the fresh state once more.
        const fresh = (await deps.members.contact(merchant.merchantId, member.phone)).member;
        if (fresh) await applyTierEvaluation({ merchant, member: fresh, kind: run.kind, now, runId }, deps);
      }
    }
    return { processed: page.members.length, cursor: page.cursor };
  });
}
