import { addDays } from '../time';
import { testOf } from './matching';
import type { Audience, AudienceCondition, Scalar } from './tree';

/**
 * The index that finds a superset of the audience, read most narrowly: the members who can
 * match, never fewer. Executing it still tests every member found against the whole audience.
 */
export type AudienceIndex =
  /** Members whose birthday is on one of these month-days (`MM-DD`): the sparse birthday index. */
  | { index: 'byBirthday'; monthDays: string[] }
  /** Members who ever held stored value, by balance: `from` to `to` cents, both included. */
  | { index: 'byStoredValue'; from: number; to?: number }
  /** The merchant's current members by join instant: ISO `from` included, `before` not. */
  | { index: 'byMerchant'; from?: string; before?: string };

/**
 * Birthday months read from the birthday index at most: one query per day, and beyond a quarter of
 * the year, reading every member costs few more items in far fewer queries.
 */
export const maxBirthdayIndexMonths = 3;

/**
 * Which index to read. Only conditions every match must meet narrow it: those at the top, or in
 * `and`s at the top. A birthday month beats a stored-value range (both indexes hold only members
 * with the fact), which beats a join-date range of the list of all members.
 */
export function audienceIndex(audience: Audience): AudienceIndex {
  const conditions = conjuncts(audience);
  const months = birthdayMonths(conditions);
  if (months && months.length <= maxBirthdayIndexMonths) {
    return { index: 'byBirthday', monthDays: months.flatMap(daysOfMonth) };
  }
  const balance = rangeOf(conditions, 'storedValue', (n: number, step) => n + step);
  // Members who never held stored value have no entry in its index: only a range above 0 may use it.
  if (balance.from !== undefined && balance.from >= 1) {
    return {
      index: 'byStoredValue',
      from: balance.from,
      ...(balance.to !== undefined ? { to: balance.to } : {}),
    };
  }
  const joined = rangeOf(conditions, 'joinedAt', addDays);
  // Join dates are the merchant's; instants are UTC. A day's margin either side covers every
  // offset (-12 to +14 hours), and the audience test decides the members at the edges.
  return {
    index: 'byMerchant',
    ...(joined.from !== undefined ? { from: `${addDays(joined.from, -1)}T00:00:00.000Z` } : {}),
    ...(joined.to !== undefined ? { before: `${addDays(joined.to, 2)}T00:00:00.000Z` } : {}),
  };
}

function conjuncts(node: Audience): AudienceCondition[] {
  if ('and' in node) return node.and.flatMap(conjuncts);
  if ('or' in node || 'not' in node) return [];
  return [node];
}

/** Months a birthday must fall in, or undefined when nothing requires a birthday month. */
function birthdayMonths(conditions: AudienceCondition[]): number[] | undefined {
  const on = conditions.filter((c) => c.field === 'birthdayMonth');
  if (on.length === 0 || on.some((c) => c.op === 'exists' && c.value === false)) return undefined;
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  return months.filter((month) =>
    on.every(({ op, value }) => op === 'exists' || testOf(op, value as Scalar | Scalar[])(month)),
  );
}

/** Every MM-DD of a month, 29 February included: the index is keyed by month-day, whatever the year. */
function daysOfMonth(month: number): string[] {
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  return Array.from({ length: days }, (_, i) => `${mm}-${String(i + 1).padStart(2, '0')}`);
}

/**
 * The closed range a field must lie in by the conditions on it (`eq`, `in`, `gt`…`between`), or
 * open ends where none bounds it. `step` moves a value one unit (a whole number, a day).
 */
function rangeOf<Value extends number | string>(
  conditions: AudienceCondition[],
  field: string,
  step: (value: Value, by: number) => Value,
): { from?: Value; to?: Value } {
  let from: Value | undefined;
  let to: Value | undefined;
  const above = (value: Value) => {
    if (from === undefined || value > from) from = value;
  };
  const below = (value: Value) => {
    if (to === undefined || value < to) to = value;
  };
  for (const { field: name, op, value } of conditions) {
    if (name !== field) continue;
    const values = (Array.isArray(value) ? value : [value]) as Value[];
    const [first] = values as [Value];
    if (op === 'eq' || op === 'in' || op === 'between') {
      above(values.reduce((a, b) => (b < a ? b : a)));
      below(values.reduce((a, b) => (b > a ? b : a)));
    } else if (op === 'gt') above(step(first, 1));
    else if (op === 'gte') above(first);
    else if (op === 'lt') below(step(first, -1));
    else if (op === 'lte') below(first);
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}
