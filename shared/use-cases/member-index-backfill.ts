import type { JobState, JobsStore } from '../store/jobs';
import type { MembersStore } from '../store/members';
import { walkCheckpointed } from './checkpointed-walk';

export interface MemberIndexBackfillDeps {
  jobs: Pick<JobsStore, 'state' | 'save'>;
  members: Pick<MembersStore, 'backfillIndex'>;
}

/**
 * The checkpoint of the backfill: `JOB#<merchant>#member-index#<version>`. The version names the
 * index data the walk writes; a later change to it walks every merchant again under a new one.
 */
export const memberIndexBackfill = { job: 'member-index', version: '1' } as const;

const pageSize = 100;

/**
 * Gives the merchant's members written before the tier and tag lists had indexes the index data
 * those lists read, once per merchant, a page at a time from a checkpoint, until done or `deadline`.
 */
export function backfillMemberIndex(
  merchantId: string,
  deadline: number,
  deps: MemberIndexBackfillDeps,
  limit = pageSize,
): Promise<JobState> {
  const run = { merchantId, job: memberIndexBackfill.job, period: memberIndexBackfill.version };
  return walkCheckpointed(deps.jobs, run, deadline, async (cursor) => {
    const page = await deps.members.backfillIndex(merchantId, { limit, cursor });
    return { processed: page.members, cursor: page.cursor };
  });
}
