import type { JobState, JobsStore } from '../store/jobs';

/** A job's walk over one merchant's data, checkpointed under the job and its period. */
export interface CheckpointedRun {
  merchantId: string;
  job: string;
  period: string;
}

/** One page of a walk: how many items it handled, and the cursor of the next page while more follow. */
export type WalkStep = (cursor: string | undefined) => Promise<{ processed: number; cursor?: string }>;

/**
 * Walks a page at a time from the saved cursor, saving the cursor after each page, until the walk is
 * done or `deadline` (epoch ms) passes: a run cut short (by the deadline, or by Lambda's timeout
 * between two saves) is continued by the next one, and a finished walk is never walked again. A
 * page is walked again only if the run stopped before its save, so each step must be safe to repeat.
 */
export async function walkCheckpointed(
  jobs: Pick<JobsStore, 'state' | 'save'>,
  { merchantId, job, period }: CheckpointedRun,
  deadline: number,
  step: WalkStep,
): Promise<JobState> {
  let state: JobState = (await jobs.state(merchantId, job, period)) ?? {
    status: 'running',
    processed: 0,
    updatedAt: new Date().toISOString(),
  };
  while (state.status === 'running' && Date.now() < deadline) {
    const page = await step(state.cursor);
    state = {
      status: page.cursor ? 'running' : 'done',
      ...(page.cursor ? { cursor: page.cursor } : {}),
      processed: state.processed + page.processed,
      updatedAt: new Date().toISOString(),
    };
    await jobs.save(merchantId, job, period, state);
  }
  return state;
}
