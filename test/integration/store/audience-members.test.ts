import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Audience,
  type AudienceCondition,
  type AudienceIndex,
  audienceIndex,
  audiencePredicate,
  audienceSchema,
} from '../../../shared/domain/audience';
import type { Member, MemberInput } from '../../../shared/schemas/member';
import { type AudienceReader, audienceReader } from '../../../shared/store/audience-members';
import { ledgerStore } from '../../../shared/store/ledger';
import { InvalidCursorError, membersStore } from '../../../shared/store/members';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const db = env.dynamo();
const membersTable = env.table('members');
const members = membersStore(db, membersTable);
const ledger = ledgerStore(db, env.table('ledger'), membersTable);

// 12:00 on 15 June 2026 in Shanghai.
const now = new Date('2026-06-15T04:00:00Z');
const context = { now, timeZone: 'Asia/Shanghai' };

const tiers = ['silver', 'gold', 'platinum'] as const;
const tagPool = ['vip', 'coffee', 'tea', 'new'];
const cities = ['上海', '上海市', '杭州', '北京'];
const genders = ['female', 'male', 'other'] as const;
const zones = ['blue', 'green', 'yellow', 'red', 'white'] as const;
const levels = ['a', 'b', 'c'];
const balances = [0, 1, 300, 500, 2500];
/** Join instants: spread over three years, with a few shared to the millisecond. */
const joins = ['2023-01-01T00:00:00.000Z', '2025-02-28T16:00:00.000Z', '2026-06-14T16:00:00.000Z'];

const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const day = (from: string, to: string) =>
  fc
    .integer({ min: Date.parse(from), max: Date.parse(to) })
    .map((ms) => new Date(ms - (ms % 86_400_000)).toISOString().slice(0, 10));

/** A member's profile and facts, drawn from small pools so that conditions on them often match. */
const profileArbitrary = fc.record({
  tier: optional(fc.constantFrom(...tiers)),
  tags: fc.subarray(tagPool),
  points: fc.integer({ min: 0, max: 3000 }),
  gender: optional(fc.constantFrom(...genders)),
  birthday: optional(day('1960-01-01', '2010-12-31')),
  city: optional(fc.constantFrom(...cities)),
  joinedAt: fc.oneof(
    fc.constantFrom(...joins),
    fc
      .integer({ min: Date.parse(joins[0] as string), max: now.getTime() })
      .map((ms) => new Date(ms).toISOString()),
  ),
  lastPurchaseAt: optional(
    fc.integer({ min: Date.parse('2025-01-01'), max: now.getTime() }).map((ms) => new Date(ms).toISOString()),
  ),
  spendByYear: fc.record(
    { '2025': fc.integer({ min: 0, max: 50_000 }), '2026': fc.integer({ min: 0, max: 50_000 }) },
    { requiredKeys: [] },
  ),
  attributes: fc.record(
    {
      shoeSize: fc.integer({ min: 35, max: 45 }),
      level: fc.constantFrom(...levels),
      newsletter: fc.boolean(),
    },
    { requiredKeys: [] },
  ),
  rfm: optional(
    fc.record({
      recency: fc.integer({ min: 1, max: 5 }),
      frequency: fc.integer({ min: 1, max: 5 }),
      monetary: fc.integer({ min: 1, max: 5 }),
    }),
  ),
  churnZone: optional(fc.constantFrom(...zones)),
  /** Stored value is only ever moved by the ledger: a top-up, and a spend of some or all of it. */
  storedValue: fc.oneof(fc.constant(0), fc.constantFrom(...balances)),
  heldStoredValue: fc.boolean(),
  deleted: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});
type Profile = typeof profileArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** A member made as production makes one: created, stored value through the ledger, maybe deleted. */
async function seed(merchantId: string, profile: Profile) {
  const { storedValue, heldStoredValue, deleted, ...fields } = profile;
  const input: MemberInput = {
    merchantId,
    memberId: `mem-${randomUUID()}`,
    phone: newPhone(),
    joinChannel: 'merchant-api',
    joinRef: 'test',
    ...fields,
  };
  expect((await members.create(input)).status).toBe('created');
  const ref = { memberId: input.memberId, phone: input.phone };
  const post = (delta: number, type: 'top-up' | 'spend') =>
    ledger.post({
      merchantId,
      member: ref,
      posting: { book: 'storedValue', type, delta },
      idempotencyKey: `${type}-${input.memberId}`,
      at: now,
      year: '2026',
    });
  if (storedValue > 0) await post(storedValue, 'top-up');
  else if (heldStoredValue) {
    // Spent down to 0: still in the stored-value index, with a balance of 0.
    await post(200, 'top-up');
    await post(-200, 'spend');
  }
  if (deleted) await members.softDelete(merchantId, input.phone, now);
  return input.phone;
}
const sampleProfiles = (count: number, seed: number) => fc.sample(profileArbitrary, { numRuns: count, seed });

/** Every member of the merchant, deleted or not, as the store holds them. */
async function everyone(merchantId: string, phones: string[]): Promise<Member[]> {
  const found = await Promise.all(phones.map((phone) => members.contact(merchantId, phone)));
  return found.map(({ member }) => member as Member);
}

/** The whole audience, page by page from the cursor; checks each page's size and tenant. */
async function collect(reader: AudienceReader, merchantId: string, audience: Audience, pageSize: number) {
  const found: Member[] = [];
  let cursor: string | undefined;
  do {
    const page = await reader.page(merchantId, audience, { ...context, cursor, pageSize });
    expect(page.members.length).toBeLessThanOrEqual(pageSize);
    for (const member of page.members) expect(member.merchantId).toBe(merchantId);
    found.push(...page.members);
    cursor = page.cursor;
  } while (cursor);
  return found;
}

const ids = (list: Member[]) => list.map((member) => member.memberId).sort();

// Conditions drawn over the same pools as the members, every field and operator the language has.

const numberOps = ['eq', 'ne', 'in', 'gt', 'gte', 'lt', 'lte', 'between'] as const;
function compared<Value extends number | string>(
  field: string,
  value: fc.Arbitrary<Value>,
  extra: { exists?: true; window?: fc.Arbitrary<string>; ops?: readonly string[] } = {},
): fc.Arbitrary<AudienceCondition> {
  const ops = extra.ops ?? numberOps;
  const window = extra.window ?? fc.constant(undefined);
  return fc.oneof(
    fc
      .record({
        field: fc.constant(field),
        op: fc.constantFrom(...ops),
        one: value,
        list: fc.array(value, { minLength: 1, maxLength: 3 }),
        pair: fc.tuple(value, value).map(([a, b]) => (a <= b ? [a, b] : [b, a])),
        window,
      })
      .map(({ one, list, pair, window, ...condition }) => ({
        ...condition,
        value: condition.op === 'in' ? list : condition.op === 'between' ? pair : one,
        ...(window === undefined ? {} : { window }),
      })) as fc.Arbitrary<AudienceCondition>,
    ...(extra.exists
      ? [fc.record({ field: fc.constant(field), op: fc.constant('exists'), value: fc.boolean() })]
      : []),
  ) as fc.Arbitrary<AudienceCondition>;
}
const choice = (field: string, values: readonly (string | boolean)[], ops = ['eq', 'ne', 'in']) =>
  compared(field, fc.constantFrom(...values) as fc.Arbitrary<string>, { exists: true, ops });

const birthdayMonth = compared('birthdayMonth', fc.integer({ min: 1, max: 12 }), { exists: true });
const storedValue = compared('storedValue', fc.constantFrom(...balances, 250, 2600));
const joinedAt = compared('joinedAt', day('2022-12-30', '2026-06-16'), {
  ops: numberOps.filter((op) => op !== 'in'),
});

const conditionArbitrary: fc.Arbitrary<AudienceCondition> = fc.oneof(
  choice('tier', tiers),
  fc
    .record({
      field: fc.constant('tags'),
      op: fc.constantFrom('contains', 'in', 'exists'),
      tag: fc.constantFrom(...tagPool),
      tags: fc.subarray(tagPool, { minLength: 1 }),
      exists: fc.boolean(),
    })
    .map(({ tag, tags, exists, ...condition }) => ({
      ...condition,
      value: condition.op === 'contains' ? tag : condition.op === 'in' ? tags : exists,
    })),
  compared('points', fc.integer({ min: 0, max: 3000 })),
  storedValue,
  choice('gender', genders),
  compared('age', fc.integer({ min: 15, max: 67 }), { exists: true }),
  choice('city', cities, ['eq', 'ne', 'in', 'contains']),
  birthdayMonth,
  joinedAt,
  compared('daysSinceLastPurchase', fc.integer({ min: 0, max: 530 }), { exists: true }),
  compared('spend', fc.integer({ min: 0, max: 50_000 }), {
    window: fc.constantFrom('this-year', 'last-year'),
  }),
  compared('rfm.recency', fc.integer({ min: 1, max: 5 }), { exists: true }),
  choice('churnZone', zones),
  compared('attributes.shoeSize', fc.integer({ min: 35, max: 45 }), { exists: true }),
  choice('attributes.level', levels, ['eq', 'ne', 'in', 'gt', 'lte', 'contains']),
  choice('attributes.newsletter', [true, false], ['eq', 'ne']),
);

const { tree } = fc.letrec<{ tree: Audience }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'tree' },
    conditionArbitrary,
    fc.record({ and: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('tree') }),
  ),
}));

/** Random trees, two in three under an `and` with a condition an index can use. */
const audienceArbitrary: fc.Arbitrary<Audience> = fc.oneof(
  { weight: 1, arbitrary: tree },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(birthdayMonth, storedValue, joinedAt).chain((indexed) => indexed),
        tree,
      )
      .map(([indexed, rest]) => ({ and: [indexed, rest] })),
  },
);

/** Whether the index range the reader will read holds the member. */
function inRange(plan: AudienceIndex, member: Member): boolean {
  switch (plan.index) {
    case 'byBirthday':
      return member.birthday !== undefined && plan.monthDays.includes(member.birthday.slice(5));
    case 'byStoredValue':
      return member.storedValue >= plan.from && (plan.to === undefined || member.storedValue <= plan.to);
    case 'byMerchant': {
      const listSk = `${member.joinedAt}#${member.memberId}`;
      return (
        (plan.from === undefined || listSk >= plan.from) &&
        (plan.before === undefined || listSk < plan.before)
      );
    }
  }
}

/** A reader whose every query's items are counted: the real client underneath. */
function countingReads(): { client: DynamoDBDocumentClient; pages: number[] } {
  const counted = { client: db, pages: [] as number[] };
  counted.client = {
    send: async (command: Parameters<typeof db.send>[0]) => {
      const output = (await db.send(command)) as { Items?: unknown[] };
      counted.pages[counted.pages.length - 1] = (counted.pages.at(-1) ?? 0) + (output.Items?.length ?? 0);
      return output;
    },
  } as unknown as DynamoDBDocumentClient;
  return counted;
}

const reencode = (cursor: string, change: (state: Record<string, unknown>) => void) => {
  const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  change(state);
  return Buffer.from(JSON.stringify(state)).toString('base64url');
};

describe('audience members', () => {
  let merchantId: string;
  let otherMerchantId: string;
  let all: Member[];

  beforeAll(async () => {
    [merchantId, otherMerchantId] = await Promise.all([
      newMerchant(env).then(({ merchant }) => merchant.merchantId),
      newMerchant(env).then(({ merchant }) => merchant.merchantId),
    ]);
    const phones = await Promise.all(
      sampleProfiles(60, 20260615).map((profile) => seed(merchantId, profile)),
    );
    // Another merchant's members, in the same index partitions: never part of this merchant's audience.
    await Promise.all(sampleProfiles(8, 7).map((profile) => seed(otherMerchantId, profile)));
    all = await everyone(merchantId, phones);
  });

  it('reads exactly the members the pure predicate picks, for random trees, page sizes and segments', async () => {
    await fc.assert(
      fc.asyncProperty(
        audienceArbitrary,
        fc.constantFrom(4, 25, 1000),
        fc.integer({ min: 1, max: 6 }),
        async (audience, pageSize, segments) => {
          expect(audienceSchema.safeParse(audience).error).toBeUndefined();
          const reader = audienceReader(db, membersTable, { segments });
          const expected = all.filter(audiencePredicate(audience, context));
          const found = await collect(reader, merchantId, audience, pageSize);
          expect(ids(found)).toEqual(ids(expected));
          expect(new Set(ids(found)).size).toBe(found.length);
        },
      ),
      { numRuns: 35, seed: 424242 },
    );
  });

  it('chooses an index range that holds every member the audience matches (pure, many trees)', () => {
    fc.assert(
      fc.property(audienceArbitrary, (audience) => {
        const plan = audienceIndex(audience);
        const matches = audiencePredicate(audience, context);
        for (const member of all.filter(matches)) expect(inRange(plan, member)).toBe(true);
      }),
      { numRuns: 1000, seed: 424242 },
    );
  });

  it('reads at most four members per member a page may hold, even when none match', async () => {
    const counted = countingReads();
    const reader = audienceReader(counted.client, membersTable, { segments: 3 });
    const nobody: Audience = { field: 'city', op: 'eq', value: '无此城市' };
    let cursor: string | undefined;
    let pages = 0;
    do {
      counted.pages.push(0);
      const page = await reader.page(merchantId, nobody, { ...context, cursor, pageSize: 5 });
      expect(page.members).toEqual([]);
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    // The first page also reads the first and last join, to split the members into segments.
    expect(Math.max(...counted.pages.slice(1))).toBeLessThanOrEqual(20);
    expect(counted.pages[0]).toBeLessThanOrEqual(22);
    expect(counted.pages.reduce((a, b) => a + b, 0)).toBe(all.filter((m) => !m.deletedAt).length + 2);
  });

  describe('refuses a cursor it did not make for this merchant and audience', () => {
    const audience: Audience = { field: 'points', op: 'gte', value: 0 };
    const reader = audienceReader(db, membersTable, { segments: 2 });
    const cursorOf = async (of: Audience) => {
      const { cursor } = await reader.page(merchantId, of, { ...context, pageSize: 4 });
      if (!cursor) throw new Error('expected a cursor');
      return cursor;
    };
    const resume = (cursor: string, of = audience, merchant = merchantId) =>
      reader.page(merchant, of, { ...context, cursor, pageSize: 4 });

    it('resumes from a cursor it made', async () => {
      await expect(resume(await cursorOf(audience))).resolves.toMatchObject({ members: expect.any(Array) });
    });

    it.each([
      ['not base64 JSON', () => '%%%'],
      ['JSON of another shape', () => Buffer.from('{"a":1}').toString('base64url')],
    ])('%s', async (_case, cursor) => {
      await expect(resume(cursor())).rejects.toThrow(InvalidCursorError);
    });

    it('one made for another merchant', async () => {
      await expect(resume(await cursorOf(audience), audience, otherMerchantId)).rejects.toThrow(
        InvalidCursorError,
      );
    });

    it('one made for an audience read from another index', async () => {
      const birthdays: Audience = { field: 'birthdayMonth', op: 'eq', value: 5 };
      await expect(resume(await cursorOf(audience), birthdays)).rejects.toThrow(InvalidCursorError);
    });

    it('one whose position was moved outside its segment', async () => {
      const cursor = await cursorOf(audience);
      const moved = reencode(cursor, (state) => {
        const [segment, phone] = (state.open as [number, string, string][])[0] as [number, string, string];
        (state.open as unknown[])[0] = [segment, phone, '9999-01-01T00:00:00.000Z#x'];
      });
      await expect(resume(moved)).rejects.toThrow(InvalidCursorError);
      const pointsOutOfOrder = reencode(cursor, (state) => {
        state.split = [...(state.split as string[])].reverse().concat('2000-01-01T00:00:00.000Z');
      });
      await expect(resume(pointsOutOfOrder)).rejects.toThrow(InvalidCursorError);
    });
  });

  it('finds members by days since their last purchase, which earning for a purchase records', async () => {
    const { merchant } = await newMerchant(env);
    const phone = await seed(merchant.merchantId, {
      ...(sampleProfiles(1, 1)[0] as Profile),
      lastPurchaseAt: undefined,
      deleted: false,
    });
    const { member } = await members.contact(merchant.merchantId, phone);
    const purchase = new Date('2026-06-11T03:00:00Z'); // 11 June in Shanghai: 4 days before `now`
    await ledger.post({
      merchantId: merchant.merchantId,
      member: { memberId: member?.memberId as string, phone },
      posting: { book: 'points', type: 'earn', delta: 10, purchaseCents: 1000 },
      idempotencyKey: 'order-1',
      at: purchase,
      year: '2026',
    });
    expect((await members.contact(merchant.merchantId, phone)).member?.lastPurchaseAt).toBe(
      purchase.toISOString(),
    );
    const recent = (days: number) =>
      audienceReader(db, membersTable).page(
        merchant.merchantId,
        { field: 'daysSinceLastPurchase', op: 'eq', value: days },
        context,
      );
    expect((await recent(4)).members.map((m) => m.phone)).toEqual([phone]);
    expect((await recent(3)).members).toEqual([]);
  });
});
