import { describe, expect, it } from 'vitest';
import { touchedIds } from '../../../shared/domain/audit';
import { datesBetween, dayFigures } from '../../../shared/domain/daily-stats';
import { mayCall, ownerCountChange } from '../../../shared/domain/staff';

describe('roles', () => {
  it('let a caller through only in a role the route allows', () => {
    expect(mayCall('cashier', ['owner', 'marketing', 'cashier'])).toBe(true);
    expect(mayCall('cashier', ['owner', 'marketing'])).toBe(false);
    expect(mayCall('marketing', ['owner'])).toBe(false);
  });

  it('move the count of owners by one when someone becomes or stops being an owner', () => {
    expect(ownerCountChange(undefined, 'owner')).toBe(1);
    expect(ownerCountChange('cashier', 'owner')).toBe(1);
    expect(ownerCountChange('owner', 'marketing')).toBe(-1);
    expect(ownerCountChange('owner', undefined)).toBe(-1);
    expect(ownerCountChange('owner', 'owner')).toBe(0);
    expect(ownerCountChange('cashier', undefined)).toBe(0);
  });
});

describe('an audit entry’s ids', () => {
  it('are the path’s parameters and the ids of the resource answered, never a refusal’s code or a secret', () => {
    expect(
      touchedIds(
        { phone: '%2B8613800138000' },
        { member: { memberId: 'M1', phone: '+8613800138000', name: '李四' } },
      ),
    ).toEqual({ phone: '+8613800138000', memberId: 'M1' });
    expect(touchedIds(undefined, { apiKey: 'mcrm_secret', key: { keyId: 'k1', name: 'POS' } })).toEqual({
      keyId: 'k1',
    });
    expect(touchedIds({ code: 'ROAM90' }, { error: { code: 'not_found', message: '…' } })).toEqual({
      code: 'ROAM90',
    });
  });
});

describe('daily figures', () => {
  it('list every day of a range, a day with no counters as zeros, costs to a tenth of a fen', () => {
    expect(datesBetween('2027-02-27', '2027-03-02')).toEqual([
      '2027-02-27',
      '2027-02-28',
      '2027-03-01',
      '2027-03-02',
    ]);
    expect(dayFigures('2027-03-01', { joins: 2, costFen: 4.5 * 3, texts: 3, parts: 3 })).toEqual({
      date: '2027-03-01',
      joins: 2,
      optOuts: 0,
      texts: 3,
      parts: 3,
      costFen: 13.5,
      pointsEarned: 0,
      pointsRedeemed: 0,
      couponsRedeemed: 0,
    });
    expect(dayFigures('2027-03-01', undefined).texts).toBe(0);
  });
});
