import { drawsChinese, expect, expectNoSidewaysScroll, phone, saveScreenshot, test } from './fixtures';
import { codeFromOutbox, outboxSize, staffPhones } from './staff';

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

test('signs in with the code texted to the phone, and the API knows who it is', async ({
  page,
}, testInfo) => {
  const phone = staffPhones.marketing;
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(phone);
  const origin = new URL(page.url()).origin;
  const texted = await outboxSize(origin, phone);
  const [request] = await Promise.all([
    page.waitForRequest('**/v1/auth/code'),
    page.getByRole('button', { name: '获取验证码' }).click(),
  ]);
  expect(request.method()).toBe('POST');
  expect(request.headers()['x-mcrm-csrf']).toBe('1');
  expect(request.postDataJSON()).toEqual({ phone });
  await page.getByLabel('验证码').fill(await codeFromOutbox(origin, phone, texted));
  await saveScreenshot(page, testInfo, 'sign-in-code');
  await page.getByRole('button', { name: '登录' }).click();
  // Marketing staff start on the dashboard; the API answers for the cookie the page now holds.
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText(phone)).toBeVisible();
  const session = await page.request.get('/v1/auth/session');
  expect((await session.json()).session).toMatchObject({ phone, role: 'marketing' });
});

test('a wrong code is refused with the API’s reason, and no session is opened', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill('13800000000');
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByLabel('验证码').fill('000000');
  const [answer] = await Promise.all([
    page.waitForResponse('**/v1/auth/session'),
    page.getByRole('button', { name: '登录' }).click(),
  ]);
  const { error } = (await answer.json()) as { error: { message: string } };
  await expect(page.getByRole('alert')).toContainText(error.message);
  expect((await page.request.get('/v1/auth/session')).status()).toBe(401);
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
