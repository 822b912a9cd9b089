import { describe, expect, it } from 'vitest';
import {
  type Audience,
  type AudienceCondition,
  audienceIndex,
  audienceSchema,
  matchesAudience,
  maxAudienceConditions,
} from '../../../shared/domain/audience';
import { type Member, type MemberInput, memberSchema } from '../../../shared/schemas/member';

// 12:00 on 15 June 2026 in Shanghai.
const context = { now: new Date('2026-06-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };

const member = (fields: Partial<MemberInput> = {}): Member =>
  memberSchema.parse({
    merchantId: 'shop-1',
    memberId: 'mem-1',
    phone: '+8613800138000',
    joinedAt: '2025-03-01T02:00:00.000Z',
    joinChannel: 'merchant-api',
    joinRef: 'test',
    points: 0,
    ...fields,
  });

const matches = (audience: Audience, fields: Partial<MemberInput> = {}) =>
  matchesAudience(member(fields), audienceSchema.parse(audience), context);

/** The paths and messages a definition is refused with. */
function refusal(definition: unknown) {
  const result = audienceSchema.safeParse(definition);
  if (result.success) throw new Error(`accepted ${JSON.stringify(definition)}`);
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('the audience language', () => {
  it('accepts a condition on every field, nested in and/or/not', () => {
    const definition: Audience = {
      and: [
        { field: 'tier', op: 'in', value: ['gold', 'platinum'] },
        { field: 'tags', op: 'contains', value: 'vip' },
        { field: 'points', op: 'between', value: [100, 500] },
        { field: 'storedValue', op: 'gt', value: 0 },
        { field: 'gender', op: 'eq', value: 'female' },
        {
          or: [
            { field: 'age', op: 'lt', value: 30 },
            { field: 'city', op: 'contains', value: '上海' },
          ],
        },
        { field: 'birthdayMonth', op: 'eq', value: 6 },
        { field: 'joinedAt', op: 'gte', value: '2025-01-01' },
        { field: 'daysSinceLastPurchase', op: 'exists', value: true },
        { field: 'spend', window: 'last-year', op: 'gte', value: 100_000 },
        { field: 'attributes.shoeSize', op: 'lte', value: 38 },
        { field: 'rfm.recency', op: 'gte', value: 4 },
        { not: { field: 'churnZone', op: 'in', value: ['red', 'white'] } },
      ],
    };
    expect(audienceSchema.parse(definition)).toEqual(definition);
  });

  it.each<[string, unknown, string, string]>([
    [
      'an unknown field',
      { and: [{ field: 'shoe', op: 'eq', value: 1 }] },
      'and.0.field',
      'unknown field "shoe"',
    ],
    [
      'an attribute name that cannot exist',
      { field: 'attributes.1st', op: 'eq', value: 1 },
      'field',
      'unknown',
    ],
    [
      'an operator the field does not take',
      { or: [{ field: 'tags', op: 'eq', value: 'vip' }] },
      'or.0.op',
      'tags takes contains, in, exists',
    ],
    [
      'exists on a fact every member has',
      { field: 'points', op: 'exists', value: true },
      'op',
      'points takes',
    ],
    ['an unknown operator', { field: 'points', op: 'like', value: 1 }, 'op', 'op: one of'],
    [
      'a value of the wrong type',
      { not: { field: 'points', op: 'gt', value: 'many' } },
      'not.value',
      'points gt takes a whole number',
    ],
    [
      'a value outside the field',
      { field: 'birthdayMonth', op: 'eq', value: 13 },
      'value',
      'a month, 1 to 12',
    ],
    ['a choice that is not one', { field: 'gender', op: 'eq', value: 'x' }, 'value', 'female, male or other'],
    ['between upside down', { field: 'age', op: 'between', value: [40, 30] }, 'value', 'low ≤ high'],
    ['between of one value', { field: 'age', op: 'between', value: [40] }, 'value', '[low, high]'],
    ['an empty in', { field: 'tier', op: 'in', value: [] }, 'value', 'a list of 1 to 50'],
    ['exists without true/false', { field: 'city', op: 'exists', value: 'yes' }, 'value', 'true or false'],
    ['eq without a value', { field: 'city', op: 'eq' }, 'value', 'city eq takes a city'],
    [
      'true/false compared as larger',
      { field: 'attributes.vip', op: 'gt', value: true },
      'value',
      'attributes.vip gt',
    ],
    ['contains a number', { field: 'attributes.code', op: 'contains', value: 7 }, 'value', 'contains'],
    ['spend without a window', { field: 'spend', op: 'gt', value: 0 }, 'window', 'this-year or last-year'],
    [
      'a window on a field without one',
      { field: 'points', op: 'gt', value: 0, window: 'this-year' },
      'window',
      'no window',
    ],
    [
      'an unknown key on a condition',
      { field: 'points', op: 'gt', value: 0, limit: 3 },
      '',
      'Unrecognized key',
    ],
    ['two groups in one node', { and: [], or: [] }, '', 'this one has and, or'],
    ['an empty and', { and: [] }, 'and', 'at least one node'],
    ['a node that is not an object', { and: ['tier'] }, 'and.0', 'a node is'],
    ['no definition at all', undefined, '', 'a node is'],
  ])('refuses %s, naming the path', (_case, definition, path, message) => {
    expect(refusal(definition)).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('refuses and/or/not nested more than 6 deep, where the 7th begins', () => {
    let deep: unknown = { field: 'points', op: 'gt', value: 0 };
    for (let i = 0; i < 6; i++) deep = { not: deep };
    expect(() => audienceSchema.parse(deep)).not.toThrow();
    expect(refusal({ and: [deep] })).toEqual([
      { path: 'and.0.not.not.not.not.not', message: 'and/or/not nest 6 deep at most' },
    ]);
  });

  it(`refuses more than ${maxAudienceConditions} conditions`, () => {
    const condition = { field: 'points', op: 'gt', value: 0 };
    const many = (n: number) => ({ or: Array.from({ length: n }, () => condition) });
    expect(() => audienceSchema.parse(many(maxAudienceConditions))).not.toThrow();
    expect(refusal(many(maxAudienceConditions + 1))).toEqual([
      { path: '', message: `the audience has 101 conditions; at most ${maxAudienceConditions}` },
    ]);
  });

  it('reports every problem of a tree at once', () => {
    const paths = refusal({
      and: [{ field: 'tier', op: 'gt', value: 'gold' }, { or: [{ field: 'points', op: 'eq', value: -1 }] }],
    }).map((issue) => issue.path);
    expect(paths).toEqual(['and.0.op', 'and.1.or.0.value']);
  });
});

describe('a member matches an audience', () => {
  it.each<[string, AudienceCondition, Partial<MemberInput>, boolean]>([
    ['tier eq', { field: 'tier', op: 'eq', value: 'gold' }, { tier: 'gold' }, true],
    ['tier in', { field: 'tier', op: 'in', value: ['gold', 'platinum'] }, { tier: 'silver' }, false],
    ['a tag', { field: 'tags', op: 'contains', value: 'vip' }, { tags: ['coffee', 'vip'] }, true],
    ['any of the tags', { field: 'tags', op: 'in', value: ['tea', 'vip'] }, { tags: ['coffee'] }, false],
    [
      'points between, both ends included',
      { field: 'points', op: 'between', value: [100, 200] },
      { points: 200 },
      true,
    ],
    ['stored value gt', { field: 'storedValue', op: 'gt', value: 0 }, { storedValue: 0 }, false],
    ['points ne', { field: 'points', op: 'ne', value: 5 }, { points: 6 }, true],
    ['city contains', { field: 'city', op: 'contains', value: '上海' }, { city: '上海市' }, true],
    ['birthday month', { field: 'birthdayMonth', op: 'in', value: [6, 7] }, { birthday: '1990-07-31' }, true],
    [
      'spend this year',
      { field: 'spend', op: 'gte', value: 5000, window: 'this-year' },
      { spendByYear: { '2026': 5000 } },
      true,
    ],
    [
      'spend last year',
      { field: 'spend', op: 'gte', value: 5000, window: 'last-year' },
      { spendByYear: { '2026': 9000 } },
      false,
    ],
    [
      'no purchase in the year is a spend of 0',
      { field: 'spend', op: 'eq', value: 0, window: 'last-year' },
      {},
      true,
    ],
    [
      'an attribute, by its own type',
      { field: 'attributes.size', op: 'eq', value: 5 },
      { attributes: { size: '5' } },
      false,
    ],
    [
      'an attribute range',
      { field: 'attributes.size', op: 'between', value: [36, 38] },
      { attributes: { size: 37 } },
      true,
    ],
    [
      'ne across types: has a value, and it differs',
      { field: 'attributes.size', op: 'ne', value: 5 },
      { attributes: { size: '5' } },
      true,
    ],
    [
      'true/false attribute',
      { field: 'attributes.vip', op: 'eq', value: true },
      { attributes: { vip: true } },
      true,
    ],
    [
      'an attribute named like an Object property',
      { field: 'attributes.constructor', op: 'exists', value: true },
      {},
      false,
    ],
    [
      'rfm, once scored',
      { field: 'rfm.monetary', op: 'gte', value: 4 },
      { rfm: { recency: 1, frequency: 2, monetary: 5 } },
      true,
    ],
    ['churn zone', { field: 'churnZone', op: 'ne', value: 'red' }, { churnZone: 'green' }, true],
    ['gender', { field: 'gender', op: 'eq', value: 'female' }, { gender: 'female' }, true],
  ])('%s', (_case, condition, fields, expected) => {
    expect(matches(condition, fields)).toBe(expected);
  });

  it('reads ages on the merchant’s today: a year older on the birthday, 29 February on 1 March', () => {
    const age = (value: number): Audience => ({ field: 'age', op: 'eq', value });
    expect(matches(age(26), { birthday: '2000-06-15' })).toBe(true);
    expect(matches(age(25), { birthday: '2000-06-16' })).toBe(true);
    const leap = (now: string) =>
      matchesAudience(member({ birthday: '2008-02-29' }), age(18), { ...context, now: new Date(now) });
    expect(leap('2026-02-28T04:00:00Z')).toBe(false);
    expect(leap('2026-03-01T04:00:00Z')).toBe(true);
  });

  it('dates joins and purchases in the merchant’s time zone', () => {
    // 01:00 on 15 June in Shanghai, still 14 June in UTC.
    const joined = { joinedAt: '2026-06-14T17:00:00.000Z' };
    expect(matches({ field: 'joinedAt', op: 'eq', value: '2026-06-15' }, joined)).toBe(true);
    expect(matches({ field: 'joinedAt', op: 'lt', value: '2026-06-15' }, joined)).toBe(false);
    const days = (lastPurchaseAt: string) =>
      matches({ field: 'daysSinceLastPurchase', op: 'eq', value: 1 }, { lastPurchaseAt });
    expect(days('2026-06-14T15:59:59.000Z')).toBe(true); // 23:59:59 on the 14th
    expect(days('2026-06-14T16:00:00.000Z')).toBe(false); // 00:00 on the 15th: today
  });

  it('matches no condition on a missing value but exists: false, and not inverts the whole subtree', () => {
    const noCity = {};
    expect(matches({ field: 'city', op: 'eq', value: '杭州' }, noCity)).toBe(false);
    expect(matches({ field: 'city', op: 'ne', value: '杭州' }, noCity)).toBe(false);
    expect(matches({ field: 'city', op: 'exists', value: false }, noCity)).toBe(true);
    expect(matches({ not: { field: 'city', op: 'eq', value: '杭州' } }, noCity)).toBe(true);
    expect(matches({ field: 'daysSinceLastPurchase', op: 'gt', value: 90 }, {})).toBe(false);
    expect(matches({ field: 'tags', op: 'exists', value: false }, { tags: [] })).toBe(true);
    expect(matches({ field: 'rfm.recency', op: 'lte', value: 5 }, {})).toBe(false);
  });

  it('combines with and/or', () => {
    const gold = { field: 'tier', op: 'eq', value: 'gold' } as const;
    const vip = { field: 'tags', op: 'contains', value: 'vip' } as const;
    expect(matches({ and: [gold, vip] }, { tier: 'gold', tags: ['vip'] })).toBe(true);
    expect(matches({ and: [gold, vip] }, { tier: 'gold' })).toBe(false);
    expect(matches({ or: [gold, vip] }, { tags: ['vip'] })).toBe(true);
    expect(matches({ or: [gold, vip] }, {})).toBe(false);
  });

  it('never matches a deleted member, not even under not', () => {
    const deleted = { deletedAt: '2026-06-01T00:00:00.000Z' };
    expect(matches({ field: 'points', op: 'gte', value: 0 }, deleted)).toBe(false);
    expect(matches({ not: { field: 'points', op: 'gte', value: 0 } }, deleted)).toBe(false);
  });
});

describe('the index an audience is read from', () => {
  const and = (...nodes: Audience[]): Audience => ({ and: nodes });

  it('reads the birthday index for birthday months every match must have, 29 February included', () => {
    const plan = audienceIndex({ field: 'birthdayMonth', op: 'in', value: [2] });
    expect(plan).toEqual({ index: 'byBirthday', monthDays: expect.any(Array) });
    expect(plan.index === 'byBirthday' && plan.monthDays.at(-1)).toBe('02-29');
    expect(plan.index === 'byBirthday' && plan.monthDays).toHaveLength(29);
    const spring = audienceIndex(
      and(
        { field: 'birthdayMonth', op: 'between', value: [3, 5] },
        { field: 'birthdayMonth', op: 'ne', value: 4 },
        { field: 'storedValue', op: 'gt', value: 0 },
      ),
    );
    expect(spring.index === 'byBirthday' && spring.monthDays.length).toBe(31 + 31);
  });

  it('reads no day at all when the months exclude each other', () => {
    const plan = audienceIndex(
      and({ field: 'birthdayMonth', op: 'eq', value: 3 }, { field: 'birthdayMonth', op: 'eq', value: 4 }),
    );
    expect(plan).toEqual({ index: 'byBirthday', monthDays: [] });
  });

  it('does not read the birthday index for more than three months, or for members without a birthday', () => {
    expect(audienceIndex({ field: 'birthdayMonth', op: 'lte', value: 3 }).index).toBe('byBirthday');
    expect(audienceIndex({ field: 'birthdayMonth', op: 'lte', value: 4 }).index).toBe('byMerchant');
    expect(audienceIndex({ field: 'birthdayMonth', op: 'exists', value: true }).index).toBe('byMerchant');
    expect(audienceIndex({ field: 'birthdayMonth', op: 'exists', value: false }).index).toBe('byMerchant');
  });

  it('reads the stored-value index for a range above 0 only: members who never held any are not in it', () => {
    expect(audienceIndex({ field: 'storedValue', op: 'gt', value: 0 })).toEqual({
      index: 'byStoredValue',
      from: 1,
    });
    expect(
      audienceIndex(
        and(
          { field: 'storedValue', op: 'between', value: [100, 500] },
          { field: 'storedValue', op: 'lt', value: 300 },
        ),
      ),
    ).toEqual({ index: 'byStoredValue', from: 100, to: 299 });
    expect(audienceIndex({ field: 'storedValue', op: 'lte', value: 500 }).index).toBe('byMerchant');
    expect(audienceIndex({ field: 'storedValue', op: 'in', value: [0, 500] }).index).toBe('byMerchant');
  });

  it('narrows the list of members by join date, a day wider either side for any time zone', () => {
    expect(audienceIndex({ field: 'joinedAt', op: 'between', value: ['2026-01-01', '2026-01-31'] })).toEqual({
      index: 'byMerchant',
      from: '2025-12-31T00:00:00.000Z',
      before: '2026-02-02T00:00:00.000Z',
    });
    expect(audienceIndex({ field: 'joinedAt', op: 'gt', value: '2026-01-01' })).toEqual({
      index: 'byMerchant',
      from: '2026-01-01T00:00:00.000Z',
    });
  });

  it('reads every member when the tree requires nothing of all matches', () => {
    const month = { field: 'birthdayMonth', op: 'eq', value: 6 } as const;
    expect(audienceIndex({ or: [month, { field: 'tier', op: 'eq', value: 'gold' }] })).toEqual({
      index: 'byMerchant',
    });
    expect(audienceIndex({ not: month })).toEqual({ index: 'byMerchant' });
    expect(audienceIndex(and({ and: [month] }, { field: 'points', op: 'gt', value: 1 })).index).toBe(
      'byBirthday',
    );
  });
});
