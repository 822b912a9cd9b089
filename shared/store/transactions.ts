/** The per-item codes of a cancelled `TransactWriteItems`, in request order; undefined for any other error. */
export function cancellationCodes(error: unknown): (string | undefined)[] | undefined {
  if ((error as Error | undefined)?.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
  return reasons?.map((reason) => reason.Code);
}

/**
 * Two transactions that touch one item at once cancel each other (`TransactionConflict`); both
 * may simply go again, after a jittered pause so they do not collide a second time.
 */
export async function retryConflicts<T>(write: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const conflict = cancellationCodes(error)?.includes('TransactionConflict') ?? false;
      if (!conflict || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 20 * 2 ** attempt) * Math.random()));
    }
  }
}

/** A single conditional write refused because its condition did not hold. */
export const isConditionFailure = (error: unknown) =>
  (error as Error | undefined)?.name === 'ConditionalCheckFailedException';
