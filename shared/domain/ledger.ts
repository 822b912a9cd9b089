import { createHash } from 'node:crypto';

/** The most points one operation may move; larger is a typo in a merchant's integration. */
export const maxPointsPerOperation = 1_000_000;

/** Idempotency keys name one business operation: an order id, a refund id, a run date. */
export const idempotencyKeyPattern = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface EarnRequest {
  memberId: string;
  points: number;
  reason?: string;
}

/**
 * What a retried request must repeat exactly. The same idempotency key with a different
 * fingerprint is a client bug (two operations sharing one key), not a retry.
 */
export function earnFingerprint(request: EarnRequest): string {
  return createHash('sha256')
    .update(JSON.stringify([request.memberId, request.points, request.reason ?? null]))
    .digest('base64url');
}
