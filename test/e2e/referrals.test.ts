import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support';
import { type Body, type Local, startLocal } from './support';

/**
 * Join gifts (开卡礼) and referrals (推荐有礼) through the local runtime: joins by text and by API, the
 * first purchase settling the referral through the event bus, the monthly cap, and the gift given
 * once per phone ever (leaving, erasure).
 */
let local: Local;
let key: string;
let number: string;

beforeAll(async () => {
  local = await startLocal();
  const shop = await local.newShop({ name: '咖啡馆', signature: '【咖啡馆】' });
  key = shop.key;
  number = shop.merchant.senderNumber;
  const settings = await local.call('PATCH', '/v1/settings/loyalty', key, {
    joinGift: { points: 100 },
    referrals: {
      referrer: { points: 50 },
      newMember: { points: 20 },
      when: 'first-purchase',
      monthlyCapPerReferrer: 1,
    },
  });
  expect(settings.status).toBe(200);
});
afterAll(() => local?.stop());

const path = (phone: string, rest = '') => `/v1/members/${encodeURIComponent(phone)}${rest}`;
const member = async (phone: string) => (await local.call('GET', path(phone), key)).body.member;
const referrals = async () => (await local.call('GET', '/v1/referrals', key)).body.referrals as Body[];
/** The phone as a customer types it: the 11 national digits, in full-width forms. */
const fullWidth = (phone: string) =>
  phone.slice(3).replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

let sent = new Map<string, number>();
/** Texts the shop and waits for the one reply. */
async function text(phone: string, body: string): Promise<string> {
  await local.sms(phone, body, { to: number });
  const count = (sent.get(phone) ?? 0) + 1;
  sent = new Map(sent).set(phone, count);
  return (await local.replies(phone, count))[count - 1] as string;
}

async function purchase(phone: string, purchaseCents: number) {
  const reply = await local.call(
    'POST',
    path(phone, '/points'),
    key,
    { purchaseCents },
    {
      'idempotency-key': randomUUID(),
    },
  );
  expect(reply.status).toBe(201);
  await local.eventsSettled();
}

describe('join gifts and referrals', () => {
  const referrer = newPhone();
  const referred = newPhone();

  it('gives the join gift by text, records 注册 … 推荐 …, and rewards both at the first purchase', async () => {
    expect(await text(referrer, '注册 老王')).toBe(
      '【咖啡馆】老王，欢迎加入咖啡馆会员！回复"积分"查询积分，"帮助"查看指令，"退订"拒收营销短信。开卡礼100积分已到账。',
    );
    expect((await member(referrer)).points).toBe(100);

    const welcome = await text(referred, `註冊，張三，推薦：${fullWidth(referrer)}`);
    expect(welcome).toContain('开卡礼100积分已到账');
    expect(welcome).toContain(`已登记推荐人（尾号${referrer.slice(-4)}），首次消费后发放推荐奖励。`);
    const [pending] = await referrals();
    expect(pending).toMatchObject({
      newMember: { phone: referred, name: '張三' },
      referrer: { phone: referrer, name: '老王' },
      channel: 'sms',
      status: 'pending',
    });

    await purchase(referred, 3_000);
    expect((await member(referrer)).points).toBe(150);
    expect((await member(referred)).points).toBe(100 + 20 + 30);
    const [rewarded] = await referrals();
    expect(rewarded).toMatchObject({
      status: 'rewarded',
      referrerReward: { points: 50 },
      newMemberReward: { points: 20 },
    });
    const ledger = (await local.call('GET', path(referrer, '/ledger'), key)).body.entries as Body[];
    expect(ledger.map((entry) => entry.reason)).toEqual([
      `referral reward: brought member ${rewarded?.newMember.memberId}`,
      'join gift',
    ]);

    // A second purchase settles nothing again.
    await purchase(referred, 1_000);
    expect((await member(referrer)).points).toBe(150);
  });

  it('records a referral by API over the cap, rewarding only the new member', async () => {
    const third = newPhone();
    const added = await local.call('POST', '/v1/members', key, { phone: third, referrerPhone: referrer });
    expect(added.status).toBe(201);
    expect((await member(third)).points).toBe(100);
    await purchase(third, 500);
    expect((await member(referrer)).points).toBe(150);
    expect((await member(third)).points).toBe(100 + 20 + 5);
    const [capped] = await referrals();
    expect(capped).toMatchObject({
      newMember: { phone: third },
      status: 'capped',
      newMemberReward: { points: 20 },
    });
    expect(capped?.referrerReward).toBeUndefined();

    const refused = await local.call('POST', '/v1/members', key, {
      phone: newPhone(),
      referrerPhone: newPhone(),
    });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        error: { issues: [{ path: 'referrerPhone', message: 'referrerPhone: not a current member' }] },
      },
    });
  });

  it('lets the join succeed when the referrer cannot be recorded, and says why', async () => {
    const stranger = newPhone();
    const lone = newPhone();
    expect(await text(lone, `注册 推荐 ${stranger.slice(3)}`)).toContain(
      `开卡礼100积分已到账。尾号${stranger.slice(-4)}的号码不是本店会员，未登记推荐。`,
    );
    const self = newPhone();
    expect(await text(self, `注册 小李 推荐 ${self.slice(3)}`)).toContain('不能推荐自己，未登记推荐。');
    expect(await text(newPhone(), 'JOIN Tom REF 12')).toContain('could not read the referrer’s number');
    expect((await member(lone)).points).toBe(100);
    expect((await referrals()).map((r) => r.newMember.phone)).not.toContain(lone);
  });

  it('gives the join gift once per phone: not again after leaving, nor after erasure', async () => {
    const phone = newPhone();
    expect(await text(phone, '注册 小周')).toContain('开卡礼100积分已到账');
    expect((await local.call('DELETE', path(phone), key)).status).toBe(200);
    const back = await text(phone, '注册 小周');
    expect(back).toContain('欢迎回到');
    expect(back).not.toContain('开卡礼');
    expect((await member(phone)).points).toBe(100);

    const erased = await local.call('POST', path(phone, '/erase'), key, { confirmPhone: phone });
    expect(erased.status).toBe(200);
    // The reply is not sent: within a minute of the erasure the sender counts it as queued before it.
    expect((await local.sms(phone, '注册 小周', { to: number })).status).toBe(202);
    await local.eventsSettled();
    expect(await member(phone)).toMatchObject({ name: '小周', points: 0 });
    const ledger = (await local.call('GET', path(phone, '/ledger'), key)).body.entries as Body[];
    expect(ledger).toEqual([]);
  });
});
