import { consumes, type Posting } from '../../domain/ledger';
import type { StoredValueParts } from '../../domain/top-up-bonus';

/**
 * What the postings of one transaction do to the member's item, as parts of one update (a transaction
 * may touch an item once): the books' balances, the bonus part of the stored value, the consumed-points
 * counter, and the conditions that keep every balance and part at zero or above.
 *
 * The bonus part cannot be checked against the whole balance in a condition (no arithmetic there), so
 * a stored-value debit either comes with the parts its split was computed from (`partsWere`, and the
 * update is conditioned on them being unchanged) or is only allowed while there is no bonus at all.
 */
export function memberChange(postings: readonly Posting[], partsWere?: StoredValueParts) {
  const set: string[] = [];
  const add: string[] = [];
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  const ofBook = (book: Posting['book']) => postings.filter((posting) => posting.book === book);
  const sum = (list: Posting[], read: (posting: Posting) => number) =>
    list.reduce((total, posting) => total + read(posting), 0);
  /** `name = value`, with a missing attribute read as 0 (members written before it existed). */
  const equals = (name: string, key: string, value: number) => {
    values[key] = value;
    return value === 0 ? `(attribute_not_exists(${name}) OR ${name} = ${key})` : `${name} = ${key}`;
  };

  const storedValue = ofBook('storedValue');
  const touchesStoredValue = storedValue.length > 0;
  if (touchesStoredValue) {
    const delta = sum(storedValue, (posting) => posting.delta);
    const bonus = sum(storedValue, (posting) => posting.bonusDelta ?? 0);
    // Puts the member in the byStoredValue index (low-balance reminders) and dates the balance.
    set.push('storedValuePk = :merchantId', 'storedValueAt = :at');
    add.push('storedValue :storedValue');
    values[':storedValue'] = delta;
    if (bonus !== 0) {
      add.push('storedValueBonus :bonus');
      values[':bonus'] = bonus;
    }
    if (delta < 0) {
      conditions.push('storedValue >= :storedValueDebit');
      values[':storedValueDebit'] = -delta;
    }
    if (partsWere) {
      const after = partsWere.storedValue + delta;
      const bonusAfter = partsWere.storedValueBonus + bonus;
      // A debit beyond the balance is refused by the condition above, whatever its split.
      if (after >= 0 && (bonusAfter < 0 || after - bonusAfter < 0)) {
        throw new Error('a stored-value split that takes a part below zero');
      }
      conditions.push(
        equals('storedValue', ':storedValueWas', partsWere.storedValue),
        equals('storedValueBonus', ':bonusWas', partsWere.storedValueBonus),
      );
    } else if (delta - bonus < 0 || bonus < 0) {
      conditions.push(equals('storedValueBonus', ':noBonus', 0));
    }
  }

  const points = ofBook('points');
  if (points.length > 0) {
    const delta = sum(points, (posting) => posting.delta);
    const consumed = sum(points, consumes);
    add.push('points :points');
    values[':points'] = delta;
    if (delta < 0) {
      conditions.push('points >= :pointsDebit');
      values[':pointsDebit'] = -delta;
    }
    if (consumed > 0) {
      add.push('pointsConsumed :consumed');
      values[':consumed'] = consumed;
    }
  }
  return { set, add, conditions, values, touchesStoredValue };
}
