import { apiAs } from './api';
import {
  addMemberInApi,
  expect,
  expectNoSidewaysScroll,
  newPhone,
  saveScreenshot,
  signedInAs,
  test,
} from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'owner'));
// One after another: each reads the settings the others change.
test.describe.configure({ mode: 'default' });

type Sending = {
  sending: {
    marketingHours: { start: string; end: string };
    unsubscribeLine: string;
    mps: number;
    heldTextExpiryDays: number;
  };
};
type Loyalty = { loyalty: { pointsPerYuan: number; tiers: { code: string; threshold: number }[] } };
type Audit = { entries: { route: string; status: number; actor: { name?: string }; role: string }[] };

test('sending settings are saved, read back, and the change is in the audit log with who made it', async ({
  page,
}) => {
  await page.goto('/settings');
  // A window that never closes, as the browser tests' shop has: other tests send campaigns meanwhile.
  await page.getByLabel('营销短信发送开始').fill('00:00');
  await page.getByLabel('营销短信发送结束').fill('24:00');
  await page.getByLabel('退订提示').fill('回复T退订');
  await page.getByLabel('超限短信保留天数').fill('5');
  await page.getByRole('button', { name: '保存发送设置' }).click();
  await expect(page.getByText('已保存')).toBeVisible();

  const { body } = await apiAs<Sending>(page, 'GET', '/v1/settings/sending');
  expect(body.sending).toMatchObject({
    marketingHours: { start: '00:00', end: '24:00' },
    unsubscribeLine: '回复T退订',
    heldTextExpiryDays: 5,
  });
  await page.reload();
  // A fresh load of the whole console: on a busy machine it can take a while to ask again.
  await expect(page.getByLabel('营销短信发送结束')).toHaveValue('24:00', { timeout: 30_000 });
  await expect(page.getByLabel('退订提示')).toHaveValue('回复T退订');
  await expect(page.getByLabel('超限短信保留天数')).toHaveValue('5');

  // Other tests make changes meanwhile, some as the same owner: the log kept to the owner's own, and
  // their latest change of the sending settings in it.
  const { body: me } = await apiAs<{ session: { staffId: string } }>(page, 'GET', '/v1/auth/session');
  const audit = await apiAs<Audit>(page, 'GET', `/v1/audit?staffId=${me.session.staffId}`);
  expect(audit.body.entries.find((entry) => entry.route.endsWith('/v1/settings/sending'))).toMatchObject({
    route: 'PUT /v1/settings/sending',
    status: 200,
    role: 'owner',
    actor: { name: '店主' },
  });
  await page.getByRole('menu').getByRole('link', { name: '操作日志' }).click();
  await page.getByLabel('操作人').click();
  await page.getByTitle('店主 · 店主').click();
  const entry = page.getByRole('row', { name: /PUT \/v1\/settings\/sending/ }).first();
  await expect(entry).toContainText('设置短信发送');
  await expect(entry).toContainText('店主');
  await expect(entry).toContainText('200');
});

test("a window the API refuses shows the API's reason at the field it names, and saves nothing", async ({
  page,
}) => {
  await page.goto('/settings');
  const before = await apiAs<Sending>(page, 'GET', '/v1/settings/sending');
  await page.getByLabel('营销短信发送开始').fill('22:00');
  await page.getByLabel('营销短信发送结束').fill('07:00');
  await page.getByRole('button', { name: '保存发送设置' }).click();
  const endField = page.locator('.ant-form-item', { has: page.getByLabel('营销短信发送结束') });
  await expect(endField).toContainText('start must be before end');
  expect((await apiAs<Sending>(page, 'GET', '/v1/settings/sending')).body).toEqual(before.body);
});

test('loyalty settings: the rate and a tier are saved and read back', async ({ page }) => {
  await page.goto('/settings');
  await page.getByLabel('每消费 1 元积分').fill('2');
  await page.getByLabel('第 2 级起始积分').fill('1500');
  await page.getByRole('button', { name: '保存积分设置' }).click();
  await expect(page.getByText('已保存')).toBeVisible();
  const { body } = await apiAs<Loyalty>(page, 'GET', '/v1/settings/loyalty');
  expect(body.loyalty.pointsPerYuan).toBe(2);
  expect(body.loyalty.tiers[1]).toMatchObject({ code: 'gold', threshold: 1500 });
  await page.reload();
  await expect(page.getByLabel('第 2 级起始积分')).toHaveValue('1500', { timeout: 30_000 });
});

test('points multipliers: a rule is saved and read back, a refused one shows why and saves nothing, and removed rules are gone', async ({
  page,
}) => {
  test.slow();
  const pick = async (label: string, option: string) => {
    await page.getByLabel(label).fill(option);
    await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
    await page.keyboard.press('Escape');
    await expect(page.locator(`.ant-select-selection-item[title="${option}"]`)).toBeVisible();
  };
  await page.goto('/settings');
  await page.getByRole('button', { name: /添加加倍规则/ }).click();
  await page.getByLabel('第 1 条规则名称').fill('钻石会员日');
  await page.getByLabel('第 1 条规则倍数').fill('3');
  await page.getByLabel('第 1 条规则名称').click();
  await expect(page.getByLabel('第 1 条规则倍数')).toHaveValue('3.0');
  await pick('第 1 条规则的等级', '钻石卡');
  await pick('第 1 条规则的星期', '周三');
  await page.getByRole('button', { name: '保存积分设置' }).click();
  await expect(page.getByText('已保存')).toBeVisible();
  const rule = { name: '钻石会员日', multiplier: 3, weekdays: [3], tiers: ['diamond'] };
  const saved = await apiAs<{ loyalty: { multipliers: unknown[] } }>(page, 'GET', '/v1/settings/loyalty');
  expect(saved.body.loyalty.multipliers).toEqual([rule]);
  await page.reload();
  await expect(page.getByLabel('第 1 条规则名称')).toHaveValue('钻石会员日', { timeout: 30_000 });

  // A second rule of the same name: the API's reason under the rules, and nothing saved.
  await page.getByRole('button', { name: /添加加倍规则/ }).click();
  await page.getByLabel('第 2 条规则名称').fill('钻石会员日');
  await page.getByRole('button', { name: '保存积分设置' }).click();
  await expect(page.getByText('every rule needs its own name')).toBeVisible();
  expect(
    (await apiAs<typeof saved.body>(page, 'GET', '/v1/settings/loyalty')).body.loyalty.multipliers,
  ).toEqual([rule]);

  await page.getByRole('button', { name: '删除第 2 条加倍规则' }).click();
  await page.getByRole('button', { name: '删除第 1 条加倍规则' }).click();
  await page.getByRole('button', { name: '保存积分设置' }).click();
  await expect(page.getByText('已保存')).toBeVisible();
  expect(
    (await apiAs<typeof saved.body>(page, 'GET', '/v1/settings/loyalty')).body.loyalty.multipliers,
  ).toEqual([]);
});

test('top-up bonuses: a rule and the spend order are saved and read back, and a member shows paid and bonus stored value apart', async ({
  page,
}, testInfo) => {
  test.slow();
  await page.goto('/settings');
  await page.getByRole('button', { name: /添加充值赠送/ }).click();
  // A threshold no other test's top-up reaches: the browser tests share one shop.
  await page.getByLabel('第 1 档名称').fill('充5000送500');
  await page.getByLabel('第 1 档充值门槛').fill('5000');
  await page.getByLabel('第 1 档赠送储值').fill('500');
  await page.getByLabel('第 1 档赠送积分').fill('200');
  // Picked, and shown picked, before the form is saved: on a busy machine a click can land as the
  // dropdown is still opening.
  const spendOrder = page.locator('.ant-form-item', { has: page.getByLabel('储值消费顺序') });
  await expect(async () => {
    await page.getByLabel('储值消费顺序').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(spendOrder).toContainText('先扣赠送，后扣本金', { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await page.getByRole('button', { name: '保存积分设置' }).click();
  await expect(page.getByText('已保存')).toBeVisible();
  type Saved = { loyalty: { topUpBonuses: unknown[]; bonusSpendOrder: string } };
  const saved = await apiAs<Saved>(page, 'GET', '/v1/settings/loyalty');
  expect(saved.body.loyalty).toMatchObject({
    topUpBonuses: [{ name: '充5000送500', minCents: 500_000, bonusCents: 50_000, bonusPoints: 200 }],
    bonusSpendOrder: 'first',
  });
  await page.reload();
  await expect(page.getByLabel('第 1 档充值门槛')).toHaveValue('5000.00', { timeout: 30_000 });
  await saveScreenshot(page, testInfo, 'settings-top-up-bonuses-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'settings-top-up-bonuses-390');
  await page.setViewportSize({ width: 1280, height: 800 });

  // A member tops up 5000 yuan: 500 of bonus, shown apart from the 5000 paid.
  const phone = newPhone();
  await addMemberInApi(page, { phone, name: '赵赠送' });
  const path = `/v1/members/${encodeURIComponent(phone)}`;
  const topped = await apiAs(page, 'POST', `${path}/stored-value/top-up`, {
    cents: 500_000,
    idempotencyKey: `browser-${phone.slice(-8)}`,
  });
  expect(topped.status).toBe(201);
  await page.goto(`/members/${encodeURIComponent(phone)}`);
  await expect(page.getByRole('group', { name: '其中赠送' })).toContainText('500.00');
  await expect(page.getByRole('group', { name: '其中本金' })).toContainText('5,000.00');
  await expect(page.getByRole('group', { name: '储值余额' })).toContainText('5,500.00');
  await expect(page.getByRole('cell', { name: /\+¥5,500\.00（含赠送 ¥500\.00）/ })).toBeVisible();
  await saveScreenshot(page, testInfo, 'member-bonus-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'member-bonus-390');

  await apiAs(page, 'PATCH', '/v1/settings/loyalty', { topUpBonuses: [], bonusSpendOrder: 'last' });
});

type Welcome = {
  loyalty: {
    joinGift?: { points?: number; benefitCode?: string };
    referrals?: { referrer?: unknown; newMember?: unknown; when: string; monthlyCapPerReferrer?: number };
  };
};

test('join gift and referral rewards: saved and read back, a refused code shows why, and cleared again', async ({
  page,
}, testInfo) => {
  test.slow();
  await page.goto('/settings');
  // Only a benefit (no points) for the join gift, and a code the catalog lacks: the other tests' new
  // members, joining meanwhile, are given nothing they would count.
  await page.getByLabel('开卡礼权益代码').fill('nosuchgift');
  await page.getByLabel('推荐人奖励积分').fill('50');
  await page.getByLabel('新会员奖励积分').fill('20');
  await page.getByLabel('新会员奖励权益代码').fill('W');
  await page.getByLabel('每位推荐人每月最多奖励次数').fill('3');
  await page.getByRole('button', { name: '保存积分设置' }).click();
  await expect(page.getByText('benefitCode: 2 to 20 uppercase letters or digits')).toBeVisible();
  expect(
    (await apiAs<Welcome>(page, 'GET', '/v1/settings/loyalty')).body.loyalty.referrals?.referrer,
  ).toBeUndefined();

  await page.getByLabel('新会员奖励权益代码').fill('');
  await page.getByLabel('发放时机').click();
  await page.getByTitle('新会员入会时').click();
  await page.getByRole('button', { name: '保存积分设置' }).click();
  await expect(page.getByText('已保存')).toBeVisible();
  const saved = (await apiAs<Welcome>(page, 'GET', '/v1/settings/loyalty')).body.loyalty;
  expect(saved.joinGift).toEqual({ benefitCode: 'NOSUCHGIFT' });
  expect(saved.referrals).toEqual({
    referrer: { points: 50 },
    newMember: { points: 20 },
    when: 'join',
    monthlyCapPerReferrer: 3,
  });
  await page.reload();
  await expect(page.getByLabel('推荐人奖励积分')).toHaveValue('50', { timeout: 30_000 });
  await expect(page.getByLabel('开卡礼权益代码')).toHaveValue('NOSUCHGIFT');
  await page.getByLabel('推荐人奖励积分').scrollIntoViewIfNeeded();
  await saveScreenshot(page, testInfo, 'welcome-rewards-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'welcome-rewards-phone');

  for (const label of ['开卡礼权益代码', '推荐人奖励积分', '新会员奖励积分', '每位推荐人每月最多奖励次数'])
    await page.getByLabel(label).fill('');
  await page.getByRole('button', { name: '保存积分设置' }).click();
  await expect(page.getByText('已保存').first()).toBeVisible();
  const cleared = (await apiAs<Welcome>(page, 'GET', '/v1/settings/loyalty')).body.loyalty;
  expect(cleared.joinGift).toBeUndefined();
  expect(cleared.referrals).toEqual({ when: 'join' });
});
