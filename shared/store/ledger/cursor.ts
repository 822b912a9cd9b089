export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this listing gave out');
    this.name = 'InvalidCursorError';
  }
}

export function writeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify([key.pk, key.sk])).toString('base64url');
}

/** A cursor continues only the listing it came from: another member's or merchant's is refused. */
export function readCursor(cursor: string, pk: string): Record<string, unknown> {
  try {
    const [cursorPk, sk] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [unknown, unknown];
    if (cursorPk === pk && typeof sk === 'string' && sk.startsWith('ENTRY#')) return { pk, sk };
  } catch {
    // falls through to the refusal
  }
  throw new InvalidCursorError();
}
