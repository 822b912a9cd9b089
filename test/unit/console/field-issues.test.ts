import { describe, expect, it } from 'vitest';
import { importFormatOf } from '../../../console/src/features/imports/import-format';
import { ApiError, apiErrorOf, ConnectionLost } from '../../../console/src/lib/errors';
import { placeIssues } from '../../../console/src/lib/field-issues';
import { centsOf } from '../../../console/src/lib/money';

describe('apiErrorOf', () => {
  it('keeps the issues the API names, and drops what is not one', () => {
    const error = apiErrorOf(400, {
      error: {
        code: 'invalid_body',
        message: 'purchaseCents: too big',
        issues: [{ path: 'purchaseCents', message: 'too big' }, { path: 3 }, 'nonsense'],
      },
    });
    expect(error).toMatchObject({ status: 400, code: 'invalid_body', message: 'purchaseCents: too big' });
    expect(error.issues).toEqual([{ path: 'purchaseCents', message: 'too big' }]);
  });

  it('has no issues for a refusal without them, or a body that is not the API’s', () => {
    expect(apiErrorOf(409, { error: { code: 'member_exists', message: 'already a member' } }).issues).toEqual(
      [],
    );
    expect(apiErrorOf(502, '<html>bad gateway</html>')).toMatchObject({ message: 'HTTP 502', issues: [] });
  });
});

describe('placeIssues', () => {
  const refusal = (...issues: { path: string; message: string }[]) =>
    new ApiError(
      400,
      'invalid_body',
      issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '),
      issues,
    );

  it('puts each issue under the field its path names, through the form’s own names', () => {
    const placed = placeIssues(
      refusal(
        { path: 'purchaseCents', message: 'at most 100000000' },
        { path: 'tags.2', message: 'too long' },
      ),
      ['amount', 'tags'],
      { purchaseCents: 'amount' },
    );
    expect(placed).toEqual({
      fields: [
        { name: 'amount', errors: ['at most 100000000'] },
        { name: 'tags', errors: ['too long'] },
      ],
      unplaced: undefined,
    });
  });

  it('shows the refusal as a whole when an issue names no field of the form', () => {
    const error = refusal({ path: 'name', message: 'too long' }, { path: 'attributes.x', message: 'bad' });
    expect(placeIssues(error, ['name'])).toEqual({
      fields: [{ name: 'name', errors: ['too long'] }],
      unplaced: error,
    });
  });

  it('leaves a refusal without issues, and a lost connection, to be shown whole', () => {
    const conflict = new ApiError(409, 'idempotency_conflict', 'key used for another operation');
    expect(placeIssues(conflict, ['amount'])).toEqual({ fields: [], unplaced: conflict });
    const lost = new ConnectionLost('offline');
    expect(placeIssues(lost, ['amount'])).toEqual({ fields: [], unplaced: lost });
  });
});

describe('centsOf', () => {
  it('is exact for amounts typed with two decimals, where floating point is not', () => {
    expect(0.29 * 100).not.toBe(29);
    expect(centsOf(0.29)).toBe(29);
    expect(centsOf(123.45)).toBe(12345);
    expect(centsOf(88)).toBe(8800);
  });
});

describe('importFormatOf', () => {
  it('reads the format from the file name, whatever its case, and nothing else', () => {
    expect(importFormatOf('members.csv')).toBe('csv');
    expect(importFormatOf('Members.JSONL')).toBe('jsonl');
    expect(importFormatOf('members.xlsx')).toBeUndefined();
    expect(importFormatOf('csv')).toBeUndefined();
  });
});
