import { expect, expectNoSidewaysScroll, phone, saveScreenshot, signedInAs, test } from './fixtures';

test('an owner has every page in the menu and starts on the dashboard', async ({ page }) => {
  await signedInAs(page, 'owner');
  await page.goto('/');
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page).toHaveTitle('概览 · mcrm 商户后台');
  const menu = page.getByRole('menu');
  for (const name of [
    '概览',
    '收银台',
    '会员',
    '导入会员',
    '权益目录',
    '设置',
    '员工',
    'API 密钥',
    '操作日志',
  ]) {
    await expect(menu.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: '概览' })).toBeVisible();
  await menu.getByRole('link', { name: '会员', exact: true }).click();
  await expect(page).toHaveURL(/\/members$/);
  await expect(page.getByRole('heading', { name: '会员' })).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test('a cashier has only the counter, starts there, and is told the settings are not for them', async ({
  page,
}) => {
  await signedInAs(page, 'cashier');
  await page.goto('/');
  await expect(page).toHaveURL(/\/counter$/);
  await expect(page.getByRole('menu').getByRole('link')).toHaveText(['收银台']);
  await page.goto('/settings');
  await expect(page.getByText('你的角色不能打开这一页')).toBeVisible();
  // The server refuses the cashier's cookie as well: the menu only keeps from offering it.
  const settings = await page.request.put('/v1/settings/loyalty', {
    headers: { 'x-mcrm-csrf': '1' },
    data: { pointsPerYuan: 2 },
  });
  expect(settings.status()).toBe(403);
  expect((await settings.json()).error.code).toBe('role_forbidden');
});

test('an address the console does not know shows "page not found" in the frame, with a way back', async ({
  page,
}) => {
  await signedInAs(page, 'owner');
  await page.goto('/no/such/page');
  await expect(page.getByText('找不到这个页面')).toBeVisible();
  await expect(page.getByRole('menu')).toBeVisible();
  await page.getByRole('button', { name: '回到首页' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('signed out, an unknown address leads to the sign-in page, which will return there', async ({
  page,
}) => {
  await page.goto('/no/such/page');
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fno%2Fsuch%2Fpage$/);
  await expect(page.getByLabel('手机号')).toBeVisible();
});

test('a page whose code cannot be loaded says the connection was lost, and loads on retry', async ({
  page,
}) => {
  await signedInAs(page, 'owner');
  await page.goto('/dashboard');
  await page.route('**/assets/members-page-*.js', (route) => route.abort('internetdisconnected'));
  await page.getByRole('menu').getByRole('link', { name: '会员', exact: true }).click();
  await expect(page.getByText('连接已断开')).toBeVisible();
  await expect(page.getByRole('menu')).toBeVisible();
  await page.unroute('**/assets/members-page-*.js');
  await page.getByRole('button', { name: '重试' }).click();
  await expect(page.getByRole('heading', { name: '会员' })).toBeVisible();
  await expect(page).toHaveURL(/\/members$/);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the menu opens in a drawer, and nothing scrolls sideways', async ({ page }, testInfo) => {
    await signedInAs(page, 'owner');
    await page.goto('/');
    await expect(page.getByRole('heading', { name: '概览' })).toBeVisible();
    await expect(page.getByRole('menu')).toBeHidden();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'dashboard-phone');
    await page.getByRole('button', { name: '打开菜单' }).click();
    const drawer = page.getByRole('dialog');
    await expect(drawer.getByRole('link', { name: '设置' })).toBeVisible();
    await saveScreenshot(page, testInfo, 'menu-phone');
    await drawer.getByRole('link', { name: '设置' }).click();
    await expect(page).toHaveURL(/\/settings$/);
    await expect(drawer).toBeHidden();
    await page.getByRole('button', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await expectNoSidewaysScroll(page);
  });
});
