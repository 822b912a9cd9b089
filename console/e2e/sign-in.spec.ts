import { drawsChinese, expect, expectNoSidewaysScroll, phone, saveScreenshot, test } from './fixtures';
import { apiAs, ownerPhone, signIn } from './staff-session';

test('the console opens at / on the sign-in page, in Chinese drawn in a Chinese font', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in\?next=%2F$/);
  const title = page.getByRole('heading', { name: 'mcrm 商户后台' });
  await expect(title).toBeVisible();
  await expect(page.getByLabel('手机号')).toBeVisible();
  await expect(page.getByRole('button', { name: '获取验证码' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(await drawsChinese(title, ['商', '户'])).toBe(true);
});

test('switches to English and back, and remembers the choice on reload', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByLabel('Mobile number')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send me a code' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'mcrm merchant console' })).toBeVisible();
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByLabel('手机号')).toBeVisible();
});

test('asks for the phone number before sending a code', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByText('请输入手机号')).toBeVisible();
});

test('sending a code posts the phone with the CSRF header, and asks for the code whoever the phone is', async ({
  page,
}) => {
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill('13800138000');
  const [request] = await Promise.all([
    page.waitForRequest('**/v1/auth/code'),
    page.getByRole('button', { name: '获取验证码' }).click(),
  ]);
  expect(request.method()).toBe('POST');
  expect(request.headers()['x-mcrm-csrf']).toBe('1');
  expect(request.postDataJSON()).toEqual({ phone: '13800138000' });
  // No member of staff has this phone: the answer is the same, so it tells nobody who works where.
  expect((await request.response())?.status()).toBe(202);
  await expect(page.getByText('验证码已发送至 13800138000')).toBeVisible();
});

test("a wrong code is refused in the API's words", async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill('13800138009');
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByLabel('验证码').fill('000000');
  const [answer] = await Promise.all([
    page.waitForResponse('**/v1/auth/session'),
    page.getByRole('button', { name: '登录', exact: true }).click(),
  ]);
  const { error } = (await answer.json()) as { error: { message: string } };
  await expect(page.getByRole('alert')).toContainText(error.message);
});

test('the owner signs in with the code from the outbox, is shown in the header, and signs out', async ({
  page,
}) => {
  await signIn(page, ownerPhone);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(/^店主 · 店主 · /)).toBeVisible();
  const session = await apiAs<{ session: { phone: string; role: string } }>(page, 'GET', '/v1/auth/session');
  expect(session.body.session).toMatchObject({ phone: ownerPhone, role: 'owner' });

  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await apiAs(page, 'GET', '/v1/auth/session')).status).toBe(401);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the sign-in page fits the screen', async ({ page }, testInfo) => {
    await page.goto('/sign-in');
    await expect(page.getByLabel('手机号')).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'sign-in-phone');
  });
});

test('the sign-in page on a desktop', async ({ page }, testInfo) => {
  await page.goto('/sign-in');
  await expect(page.getByLabel('手机号')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'sign-in-desktop');
});
