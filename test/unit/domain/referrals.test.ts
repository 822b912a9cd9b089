import { describe, expect, it } from 'vitest';
import { readKeyword } from '../../../shared/domain/keywords';
import {
  capMonth,
  referralProblem,
  referralSettingsSchema,
  rewardKeys,
  rewardSchema,
  settlement,
} from '../../../shared/domain/referrals';
import { replies } from '../../../shared/domain/replies';
import { loyaltySettingsSchema } from '../../../shared/schemas/merchant';

const today = '2026-12-08';

describe('a referral written with the join (注册 … 推荐 …)', () => {
  it('reads the referrer in every way customers type it, the name and birthday kept', () => {
    const cases: [string, Record<string, string>][] = [
      ['注册 张三 推荐 13800138000', { name: '张三', referrer: '13800138000' }],
      ['注册 推荐 13800138000', { referrer: '13800138000' }],
      ['注册张三推荐13800138000', { name: '张三', referrer: '13800138000' }],
      ['註冊，張三，推薦：１３８００１３８０００', { name: '張三', referrer: '13800138000' }],
      [
        '注册 张三，推荐，138 0013 8000，1990-05-01。',
        { name: '张三', birthday: '1990-05-01', referrer: '13800138000' },
      ],
      ['注册 张三 推荐 +86 138-0013-8000', { name: '张三', referrer: '+8613800138000' }],
      ['JOIN Tom REF 13800138000', { name: 'Tom', referrer: '13800138000' }],
      ['注册 张三 推荐', { name: '张三', referrer: '' }],
    ];
    for (const [text, expected] of cases)
      expect(readKeyword(text, today), text).toEqual({ kind: 'join', lang: expect.any(String), ...expected });
  });

  it('reads a join without 推荐 as before: no referrer, and names that merely contain REF stay names', () => {
    expect(readKeyword('注册 张三', today)).toEqual({ kind: 'join', lang: 'zh', name: '张三' });
    expect(readKeyword('JOIN Refik', today)).toEqual({ kind: 'join', lang: 'en', name: 'Refik' });
  });
});

describe('who may be recorded as the referrer', () => {
  const joiner = { phone: '+8613900000001', joinedAt: '2026-12-08T02:00:00.000Z' };
  const earlier = { phone: '+8613800138000', joinedAt: '2026-11-01T00:00:00.000Z' };

  it('a current member who joined before the new one', () => {
    expect(referralProblem(joiner, earlier.phone, earlier)).toBeUndefined();
  });
  it('not the new member themself', () => {
    expect(referralProblem(joiner, joiner.phone, { ...joiner })).toBe('self');
  });
  it('not a phone that joined at the same time or later', () => {
    expect(referralProblem(joiner, earlier.phone, { ...earlier, joinedAt: joiner.joinedAt })).toBe(
      'joined-later',
    );
    expect(referralProblem(joiner, earlier.phone, { ...earlier, joinedAt: '2026-12-09T00:00:00.000Z' })).toBe(
      'joined-later',
    );
  });
  it('not a stranger, nor a deleted member', () => {
    expect(referralProblem(joiner, earlier.phone, undefined)).toBe('not-member');
    expect(
      referralProblem(joiner, earlier.phone, { ...earlier, deletedAt: '2026-12-01T00:00:00.000Z' }),
    ).toBe('not-member');
  });
});

describe('settling a referral', () => {
  const settings = referralSettingsSchema.parse({
    referrer: { points: 50 },
    newMember: { benefitCode: 'WELCOME' },
  });

  it('rewards both under the cap, and only the new member over it', () => {
    expect(settlement(settings, true)).toEqual({
      status: 'rewarded',
      referrer: { points: 50 },
      newMember: { benefitCode: 'WELCOME' },
    });
    expect(settlement(settings, false)).toEqual({ status: 'capped', newMember: { benefitCode: 'WELCOME' } });
  });
  it('gives nothing when the merchant set no rewards', () => {
    expect(settlement(undefined, true)).toEqual({ status: 'no-reward' });
  });
  it('rewards at the first purchase unless told otherwise', () => {
    expect(settings.when).toBe('first-purchase');
  });
  it('counts the cap by the calendar month of the merchant’s time zone', () => {
    const at = new Date('2026-11-30T16:30:00.000Z');
    expect(capMonth('Asia/Shanghai', at)).toBe('2026-12');
    expect(capMonth('UTC', at)).toBe('2026-11');
  });
  it('names each grant’s idempotency key by the new member and the party', () => {
    expect(rewardKeys.referral('01JD7Q6V4N8K2M5P9R3T6W8Y0Z', 'referrer')).toBe(
      'referral:01JD7Q6V4N8K2M5P9R3T6W8Y0Z:referrer',
    );
    expect(rewardKeys.joinGift('01JD7Q6V4N8K2M5P9R3T6W8Y0Z')).toBe('join-gift:01JD7Q6V4N8K2M5P9R3T6W8Y0Z');
  });
});

describe('the settings', () => {
  it('refuses a reward that gives nothing, and bad points or codes, at the field', () => {
    expect(rewardSchema.safeParse({}).success).toBe(false);
    const bad = loyaltySettingsSchema.safeParse({
      joinGift: { points: 0 },
      referrals: { referrer: { benefitCode: 'welcome!' }, monthlyCapPerReferrer: 0 },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'joinGift.points',
      'referrals.monthlyCapPerReferrer',
      'referrals.referrer.benefitCode',
    ]);
  });
});

describe('the welcome', () => {
  const zh = { lang: 'zh' as const, merchantName: '咖啡馆' };
  const en = { lang: 'en' as const, merchantName: 'Cafe' };
  it('names the join gift and the referral reward given', () => {
    const gifts = [
      { kind: 'join-gift' as const, points: 100, benefit: '欢迎咖啡' },
      { kind: 'referral' as const, points: 20 },
    ];
    expect(replies.joinRewards(zh, gifts)).toBe('开卡礼100积分和欢迎咖啡已到账。推荐奖励20积分已到账。');
    expect(replies.joinRewards(en, [{ kind: 'join-gift', points: 100 }])).toBe(
      ' Join gift: 100 points added.',
    );
  });
  it('says why a referral was not recorded', () => {
    expect(replies.referral(zh, { note: 'not-member', phone: '13800138000' })).toBe(
      '尾号8000的号码不是本店会员，未登记推荐。',
    );
    expect(replies.referral(en, { note: 'self' })).toBe(
      ' You cannot refer yourself, so no referral was recorded.',
    );
  });
});
