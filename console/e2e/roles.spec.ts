import { apiAs, newStaffPhone } from './api';
import { expect, signedInAs, test } from './fixtures';
import { codeFromOutbox, outboxSize } from './staff';

test('a cashier is offered no owner page, and the API refuses them those pages’ calls', async ({ page }) => {
  // Every page a cashier may not open, opened in turn: longer than most tests.
  test.slow();
  await signedInAs(page, 'cashier');
  await page.goto('/');
  await expect(page.getByText(/^收银员小李 · 收银 · /)).toBeVisible();
  const menu = page.getByRole('menu');
  await expect(menu.getByRole('link')).toHaveText(['收银台']);
  for (const path of [
    '/staff',
    '/api-keys',
    '/audit',
    '/settings',
    '/dashboard',
    '/templates',
    '/templates/new',
    '/audiences',
    '/audiences/new',
    '/campaigns',
    '/care',
    '/campaigns/new',
    '/reminders',
    '/keyword-apps',
    '/keyword-apps/new',
    '/tickets',
    '/tickets/1',
    '/surveys',
    '/surveys/new',
    '/surveys/01KB0000000000000000000000',
    '/retention',
    '/referrals',
    '/phone',
  ]) {
    await page.goto(path);
    await expect(page.getByText('你的角色不能打开这一页')).toBeVisible();
  }
  const refused = [
    await apiAs(page, 'PUT', '/v1/settings/sending', { mps: 1 }),
    await apiAs(page, 'GET', '/v1/settings/sending'),
    await apiAs(page, 'GET', '/v1/staff'),
    await apiAs(page, 'GET', '/v1/api-keys'),
    await apiAs(page, 'GET', '/v1/audit'),
    await apiAs(page, 'GET', '/v1/stats/now'),
    await apiAs(page, 'GET', '/v1/templates'),
    await apiAs(page, 'POST', '/v1/templates/preview', { body: '您好' }),
    await apiAs(page, 'GET', '/v1/tickets'),
    await apiAs(page, 'GET', '/v1/tickets/counts'),
    await apiAs(page, 'POST', '/v1/tickets/1/answer', { text: '您好', idempotencyKey: 'cashier-answer' }),
    await apiAs(page, 'GET', '/v1/audiences/fields'),
    await apiAs(page, 'GET', '/v1/campaigns'),
    await apiAs(page, 'GET', '/v1/care/settings'),
    await apiAs(page, 'POST', '/v1/care/preview', { days: 1 }),
    await apiAs(page, 'GET', '/v1/keyword-apps'),
    await apiAs(page, 'POST', '/v1/keyword-apps', { name: '收银', keyword: 'SY', action: { kind: 'reply' } }),
    await apiAs(page, 'GET', '/v1/surveys'),
    await apiAs(page, 'POST', '/v1/surveys', { name: '收银', intro: '好', questions: [], thankYou: '谢' }),
    await apiAs(page, 'GET', '/v1/retention/report'),
    await apiAs(page, 'GET', '/v1/referrals'),
    await apiAs(page, 'POST', '/v1/retention/runs'),
  ];
  expect(refused.map((answer) => answer.status)).toEqual(Array(refused.length).fill(403));
});

test('someone the owner adds signs in, sees their role’s menu and themselves in the header, and signs out', async ({
  browser,
}) => {
  const owner = await browser.newPage();
  await signedInAs(owner, 'owner');
  const phone = newStaffPhone();
  const added = await apiAs(owner, 'POST', '/v1/staff', { phone, name: '市场部小赵', role: 'marketing' });
  expect(added.status).toBe(201);
  await owner.close();

  const page = await browser.newPage();
  await page.goto('/sign-in');
  const origin = new URL(page.url()).origin;
  const texted = await outboxSize(origin, phone);
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByLabel('验证码').fill(await codeFromOutbox(origin, phone, texted));
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(`市场部小赵 · 营销 · ${phone}`)).toBeVisible();
  await expect(page.getByRole('menu').getByRole('link')).toHaveText([
    '概览',
    '会员',
    '导入会员',
    '权益目录',
    '次卡',
    '短信模板',
    '人群',
    '营销活动',
    '会员关怀',
    '提醒',
    '关键词应用',
    '问卷',
    '会员留存',
    '推荐有礼',
    '工单',
    // The browser tests run on the local runtime: its phone simulator is offered.
    '手机模拟器',
  ]);

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await apiAs(page, 'GET', '/v1/auth/session')).status).toBe(401);
  await page.close();
});
