import { requestedRun } from '../../shared/domain/retention';
import { dateIn } from '../../shared/domain/time';
import { logger } from '../../shared/log';
import type { Merchant } from '../../shared/schemas/merchant';
import type { ScoringRun } from '../../shared/schemas/retention';
import type { JobsStore } from '../../shared/store/jobs';
import type { RetentionStore } from '../../shared/store/retention';
import { type ScoringDeps, scoreRun } from './scoring';

export interface RetentionJobDeps extends ScoringDeps {
  jobs: Pick<JobsStore, 'merchants'>;
  retention: Pick<RetentionStore, 'run' | 'requestRun' | 'pendingRuns' | 'saveRun' | 'putSnapshot'>;
}

/** The hour of an instant on the merchant's clock. */
function hourIn(timeZone: string, at: Date): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at);
  return Number(hour);
}

/** The nightly run `now` asks for: once the merchant's scoring hour has come, the run of its date. */
export function nightlyRunFor(merchant: Merchant, now: Date): ScoringRun | undefined {
  if (hourIn(merchant.timeZone, now) < merchant.retention.scoringHour) return undefined;
  return requestedRun(merchant.merchantId, dateIn(merchant.timeZone, now), 'nightly', now);
}

/**
 * Every merchant's scoring at the instant `now`: the night's run is asked for once the merchant's
 * scoring hour has come, then its runs not yet done (nightly and manual, oldest first) are worked
 * through from their checkpoints until `deadline` (epoch ms). The next quarter hour continues.
 */
export async function runRetentionJobs(now: Date, deadline: number, deps: RetentionJobDeps): Promise<void> {
  const outOfTime = () => Date.now() > deadline;
  for await (const merchant of deps.jobs.merchants()) {
    const nightly = nightlyRunFor(merchant, now);
    if (nightly && !(await deps.retention.run(merchant.merchantId, nightly.runId))) {
      await deps.retention.requestRun(nightly);
    }
    for (const run of await deps.retention.pendingRuns(merchant.merchantId)) {
      const { outcome } = await scoreRun(merchant, run, outOfTime, deps);
      if (outcome === 'taken') logger.info('another invocation is scoring the run', { runId: run.runId });
      if (outcome === 'continues') break;
    }
    if (outOfTime()) {
      logger.warn('retention scoring out of time; the next run continues', {
        merchantId: merchant.merchantId,
      });
      return;
    }
  }
}
