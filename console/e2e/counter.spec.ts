import {
  addMemberInApi,
  expect,
  expectNoSidewaysScroll,
  memberInApi,
  newPhone,
  phone,
  saveScreenshot,
  signedInAs,
  test,
} from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'owner'));

test.use(phone);

test('at the counter on a phone: find the member, earn for a purchase, see the new balance, in three screens', async ({
  page,
}, testInfo) => {
  const customer = newPhone();
  await addMemberInApi(page, { phone: customer, name: '陈二' });

  // Screen 1: the customer's number.
  await page.goto('/counter');
  await page.getByLabel('会员手机号').fill(customer.replace('+86', ''));
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'counter-1-find-phone');
  await page.getByRole('button', { name: '查找' }).click();

  // Screen 2: who they are, and the purchase.
  await expect(page.getByText('陈二')).toBeVisible();
  await expect(page.getByRole('group', { name: '积分', exact: true })).toContainText('0');
  await page.getByLabel('消费金额（元）').fill('88');
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'counter-2-earn-phone');
  await page.getByRole('button', { name: '记积分' }).click();

  // Screen 3: what it earned and the balance now, which is the API's.
  await expect(page.getByText('已记账：+88 积分')).toBeVisible();
  const member = await memberInApi(page, customer);
  expect(member.points).toBe(88);
  await expect(page.getByRole('group', { name: '积分余额' })).toContainText(String(member.points));
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'counter-3-balance-phone');

  await page.getByRole('button', { name: '下一位顾客' }).click();
  await expect(page.getByLabel('会员手机号')).toBeVisible();
});

test('at the counter, a customer who is not a member joins on the spot', async ({ page }) => {
  const customer = newPhone();
  await page.goto('/counter');
  await page.getByLabel('会员手机号').fill(customer);
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page.getByText(`${customer} 还不是会员`)).toBeVisible();
  await page.getByRole('button', { name: '加为会员' }).click();
  await expect(page.getByLabel('消费金额（元）')).toBeVisible();
  expect(await memberInApi(page, customer)).toMatchObject({ phone: customer, points: 0 });
});

for (const [name, path] of [
  ['members', '/members'],
  ['imports', '/imports'],
] as const) {
  test(`the ${name} page fits a phone`, async ({ page }, testInfo) => {
    await page.goto(path);
    await expect(page.getByRole('heading').or(page.getByText('导入会员')).first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, `${name}-phone`);
  });
}

test("a member's page fits a phone", async ({ page }, testInfo) => {
  const customer = newPhone();
  await addMemberInApi(page, { phone: customer, name: '吴三', tags: ['常客'] });
  await page.goto(`/members/${encodeURIComponent(customer)}`);
  await expect(page.getByText('吴三')).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'member-phone');
});
