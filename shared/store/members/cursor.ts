import { z } from 'zod';

/** A list cursor that is malformed or was not issued for this merchant's list. */
export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this list returned; start again without it');
    this.name = 'InvalidCursorError';
  }
}

const cursorSchema = z.strictObject({
  pk: z.string(),
  sk: z.string(),
  listPk: z.string(),
  listSk: z.string(),
});

export function encodeCursor(lastKey: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(lastKey)).toString('base64url');
}

/** The cursor's start key, only if it lies in this merchant's list: it must not reach another's. */
export function decodeCursor(merchantId: string, cursor: string): Record<string, string> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  const key = cursorSchema.safeParse(decoded);
  if (
    !key.success ||
    key.data.listPk !== merchantId ||
    !key.data.pk.startsWith(`${merchantId}#`) ||
    key.data.sk !== 'MEMBER'
  ) {
    throw new InvalidCursorError();
  }
  return key.data;
}
