import type { Page } from '@playwright/test';
import { apiAs } from './api';
import {
  addMemberInApi,
  expect,
  expectNoSidewaysScroll,
  newPhone,
  phone,
  saveScreenshot,
  signedInAs,
  test,
} from './fixtures';

/** A claim's state and use, as the API has it. */
type Claim = {
  couponCode: string;
  state: 'active' | 'used' | 'expired';
  usedChannel?: string;
  usedBy?: { kind: string; name?: string };
};

test.beforeEach(({ page }) => signedInAs(page, 'owner'));

/** A member with a claim of a new benefit, made through the API: the coupon code it carries. */
async function memberWithCoupon(page: Page, name: string): Promise<{ customer: string; couponCode: string }> {
  const customer = newPhone();
  await addMemberInApi(page, { phone: customer, name });
  const code = `E${Date.now().toString(36).toUpperCase()}${Math.floor(Math.random() * 1000)}`.slice(0, 20);
  const benefit = await apiAs(page, 'POST', '/v1/benefits', {
    code,
    name: '拿铁券',
    tiers: ['silver'],
    limit: 'once',
    validDays: 30,
  });
  expect(benefit.status, JSON.stringify(benefit.body)).toBe(200);
  const answer = await page.request.post(`/v1/members/${encodeURIComponent(customer)}/claims`, {
    data: { code },
    headers: { 'x-mcrm-csrf': '1', 'idempotency-key': `e2e-${code}` },
  });
  expect(answer.status(), await answer.text()).toBe(201);
  const { claim } = (await answer.json()) as { claim: Claim };
  return { customer, couponCode: claim.couponCode };
}

async function claimsInApi(page: Page, customer: string): Promise<Claim[]> {
  const { status, body } = await apiAs<{ claims: Claim[] }>(
    page,
    'GET',
    `/v1/members/${encodeURIComponent(customer)}/claims`,
  );
  expect(status).toBe(200);
  return body.claims;
}

test("redeems a member's coupon on their page, once; the API has it used in the console", async ({
  page,
}, testInfo) => {
  const { customer, couponCode } = await memberWithCoupon(page, '孙八');
  await page.goto(`/members/${encodeURIComponent(customer)}`);
  await page.getByRole('tab', { name: '领取记录' }).click();
  const row = page.getByRole('row').filter({ hasText: couponCode });
  await expect(row.getByText('有效')).toBeVisible();
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'member-coupons-desktop');

  await row.getByRole('button', { name: `核销 ${couponCode}` }).click();
  await page.getByRole('button', { name: '核销', exact: true }).click();
  await expect(page.getByText(`已核销券码 ${couponCode}`)).toBeVisible();
  await expect(row.getByText('已使用')).toBeVisible();
  await expect(row.getByRole('button', { name: `核销 ${couponCode}` })).toHaveCount(0);
  await expect(row).toContainText('后台');
  expect(await claimsInApi(page, customer)).toMatchObject([
    { couponCode, state: 'used', usedChannel: 'console', usedBy: { kind: 'staff' } },
  ]);
  await saveScreenshot(page, testInfo, 'member-coupon-used-desktop');
});

test('a coupon used at another till meanwhile is refused with the reason the API gives', async ({ page }) => {
  const { customer, couponCode } = await memberWithCoupon(page, '周九');
  await page.goto(`/members/${encodeURIComponent(customer)}`);
  await page.getByRole('tab', { name: '领取记录' }).click();
  const row = page.getByRole('row').filter({ hasText: couponCode });
  await expect(row.getByRole('button', { name: `核销 ${couponCode}` })).toBeVisible();

  // Another cashier redeems it first, through the API.
  const elsewhere = await page.request.post(`/v1/coupons/${couponCode}/redeem`, {
    headers: { 'x-mcrm-csrf': '1', 'idempotency-key': `other-till-${couponCode}` },
  });
  expect(elsewhere.status()).toBe(201);

  const [answer] = await Promise.all([
    page.waitForResponse((response) => response.url().endsWith(`/v1/coupons/${couponCode}/redeem`)),
    (async () => {
      await row.getByRole('button', { name: `核销 ${couponCode}` }).click();
      await page.getByRole('button', { name: '核销', exact: true }).click();
    })(),
  ]);
  expect(answer.status()).toBe(409);
  const { error } = (await answer.json()) as { error: { message: string } };
  expect(error.message).toContain('already used at');
  await expect(page.getByText(`未能核销：${error.message}`)).toBeVisible();
  await expect(row.getByText('已使用')).toBeVisible();
});

test.describe('at the counter on a phone', () => {
  test.use(phone);

  test('the member’s coupons are redeemed while serving them', async ({ page }, testInfo) => {
    const { customer, couponCode } = await memberWithCoupon(page, '吴十');
    await page.goto('/counter');
    await page.getByLabel('会员手机号').fill(customer.replace('+86', ''));
    await page.getByRole('button', { name: '查找' }).click();
    const coupons = page.locator('.ant-card').filter({ hasText: '可核销的券' });
    await expect(coupons.getByText(couponCode)).toBeVisible();
    await coupons.scrollIntoViewIfNeeded();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'counter-coupons-phone');

    await coupons.getByRole('button', { name: `核销 ${couponCode}` }).click();
    await page.getByRole('button', { name: '核销', exact: true }).click();
    await expect(page.getByText(`已核销券码 ${couponCode}`)).toBeVisible();
    // Nothing left to redeem: the card goes.
    await expect(coupons).toHaveCount(0);
    expect((await claimsInApi(page, customer))[0]).toMatchObject({ state: 'used', usedChannel: 'console' });
  });

  test("a member's coupons fit a phone", async ({ page }, testInfo) => {
    const { customer, couponCode } = await memberWithCoupon(page, '郑十一');
    await page.goto(`/members/${encodeURIComponent(customer)}`);
    await page.getByRole('tab', { name: '领取记录' }).click();
    await expect(page.getByRole('button', { name: `核销 ${couponCode}` })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'member-coupons-phone');
  });
});
