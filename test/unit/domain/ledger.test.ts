import { describe, expect, it } from 'vitest';
import {
  expirablePoints,
  expiryDate,
  pointsForOffset,
  pointsForPurchase,
  postingFingerprint,
  soonestExpiring,
} from '../../../shared/domain/ledger';

describe('pointsForPurchase', () => {
  it.each([
    [12_345, 1, 123],
    [99, 1, 0],
    [10_000, 1.5, 150],
    [10_050, 2, 201],
  ])('%i cents at %d points per unit earn %i points', (cents, rate, points) => {
    expect(pointsForPurchase(cents, rate)).toBe(points);
  });
});

describe('expiryDate', () => {
  it.each([
    ['2026-11-23', { kind: 'never' } as const, undefined],
    ['2026-11-23', { kind: 'days', days: 30 } as const, '2026-12-23'],
    ['2028-02-28', { kind: 'days', days: 1 } as const, '2028-02-29'],
    ['2026-01-01', { kind: 'end-of-year', yearsAfter: 0 } as const, '2026-12-31'],
    ['2026-12-31', { kind: 'end-of-year', yearsAfter: 1 } as const, '2027-12-31'],
  ])('points earned %s under %j last through %s', (earnedOn, policy, expected) => {
    expect(expiryDate(earnedOn, policy)).toBe(expected);
  });
});

describe('lots', () => {
  const lots = [
    { expiresOn: '2026-12-31', points: 100 },
    { expiresOn: '2027-06-30', points: 50 },
    { expiresOn: '2027-12-31', points: 25 },
  ];

  it.each([
    [0, '2026-12-30', 0],
    [0, '2026-12-31', 100],
    [30, '2026-12-31', 70],
    [120, '2026-12-31', 0],
    [120, '2027-06-30', 30],
    [175, '2027-12-31', 0],
  ])('with %i consumed, %s expires what is left of the due lots', (consumed, through, points) => {
    expect(expirablePoints(lots, consumed, through)).toBe(points);
  });

  it.each([
    [0, '2026-11-23', { expiresOn: '2026-12-31', points: 100 }],
    [100, '2026-11-23', { expiresOn: '2027-06-30', points: 50 }],
    [120, '2026-11-23', { expiresOn: '2027-06-30', points: 30 }],
    [0, '2027-01-01', { expiresOn: '2027-06-30', points: 50 }],
    [175, '2026-11-23', undefined],
  ])('with %i consumed, the soonest points expiring from %s are %j', (consumed, from, expected) => {
    expect(soonestExpiring(lots, consumed, from)).toEqual(expected);
  });
});

describe('postingFingerprint', () => {
  it('tells a retry from a different operation, whatever day it is retried on', () => {
    const earn = { book: 'points', type: 'earn', delta: 10, expiresOn: '2027-12-31' } as const;
    expect(postingFingerprint('m1', earn)).toBe(
      postingFingerprint('m1', { ...earn, expiresOn: '2028-12-31' }),
    );
    expect(postingFingerprint('m1', earn)).not.toBe(postingFingerprint('m1', { ...earn, delta: 11 }));
    expect(postingFingerprint('m1', earn)).not.toBe(postingFingerprint('m2', earn));
  });
});

describe('pointsForOffset', () => {
  it.each([
    [500, 100, 500],
    [1, 100, 1],
    [250, 10, 25],
    [255, 10, undefined],
    [3, 30, undefined],
    [10, 30, 3],
  ])('%i cents at %i points per yuan off → %j', (cents, rate, points) => {
    expect(pointsForOffset(cents, rate)).toBe(points);
  });
});
