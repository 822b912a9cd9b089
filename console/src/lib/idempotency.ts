import { useCallback, useState } from 'react';

/** A key no other operation has: the API does once what is sent under it, however often it arrives. */
export const newIdempotencyKey = (): string => `console-${crypto.randomUUID()}`;

/**
 * The idempotency key of a form, made when the form opens and kept through a double click, a lost
 * answer and its retry, so the operation happens once; `renew` after it succeeded (or the form was
 * cleared) makes the next one a new operation.
 */
export function useIdempotencyKey(): { key: string; renew: () => void } {
  const [key, setKey] = useState(newIdempotencyKey);
  const renew = useCallback(() => setKey(newIdempotencyKey()), []);
  return { key, renew };
}
