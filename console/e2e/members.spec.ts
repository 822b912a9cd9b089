import {
  addMemberInApi,
  expect,
  expectNoSidewaysScroll,
  ledgerInApi,
  memberInApi,
  newPhone,
  saveScreenshot,
  signedInAs,
  test,
} from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'owner'));

const profilePath = (phone: string) => `/members/${encodeURIComponent(phone)}`;

test('adds a member with their consent, and the API has them as entered', async ({ page }, testInfo) => {
  const phone = newPhone();
  await page.goto('/members');
  await page.getByRole('button', { name: '添加会员' }).click();
  const drawer = page.getByRole('dialog', { name: '添加会员' });
  await drawer.getByLabel('手机号').fill(phone);
  await drawer.getByLabel('姓名').fill('林小满');
  await drawer.getByLabel('城市').fill('杭州');
  await drawer.getByRole('checkbox', { name: '顾客同意接收营销短信' }).check();
  await drawer.getByLabel('同意方式').fill('门店纸质表单');
  await drawer.getByRole('button', { name: '添加会员' }).click();

  await expect(page).toHaveURL(profilePath(phone));
  await expect(page.getByText('林小满')).toBeVisible();
  expect(await memberInApi(page, phone)).toMatchObject({
    phone,
    name: '林小满',
    city: '杭州',
    points: 0,
    marketing: { status: 'subscribed', channel: 'merchant-api' },
  });
  await expect(page.getByText('林小满')).toBeVisible();
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'member-desktop');
});

test("adding a phone that is already a member shows the API's reason in the form", async ({ page }) => {
  const phone = newPhone();
  await addMemberInApi(page, { phone });
  await page.goto('/members');
  await page.getByRole('button', { name: '添加会员' }).click();
  const drawer = page.getByRole('dialog', { name: '添加会员' });
  await drawer.getByLabel('手机号').fill(phone);
  const [answer] = await Promise.all([
    page.waitForResponse(
      (response) => response.url().endsWith('/v1/members') && response.request().method() === 'POST',
    ),
    drawer.getByRole('button', { name: '添加会员' }).click(),
  ]);
  expect(answer.status()).toBe(409);
  const { error } = (await answer.json()) as { error: { message: string } };
  await expect(drawer.getByRole('alert')).toContainText(error.message);
});

test('finds a member by phone, and lists members by tag', async ({ page }, testInfo) => {
  const tag = `t${Date.now()}`;
  const tagged = [newPhone(), newPhone()];
  for (const phone of tagged) await addMemberInApi(page, { phone, tags: [tag] });
  await addMemberInApi(page, { phone: newPhone() });

  await page.goto('/members');
  await page.getByLabel('标签').fill(tag);
  await page.getByLabel('标签').press('Enter');
  const rows = page.getByRole('row').filter({ has: page.getByRole('link') });
  await expect(rows).toHaveCount(2);
  for (const phone of tagged) await expect(page.getByRole('link', { name: phone })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'members-desktop');

  await page.getByLabel('会员手机号').fill('13600000000');
  await page.getByRole('button', { name: '查找' }).click();
  const missing = await page.request.get('/v1/members/13600000000');
  expect(missing.status()).toBe(404);
  const { error } = (await missing.json()) as { error: { message: string } };
  await expect(page.getByText(error.message)).toBeVisible();

  await page.getByLabel('会员手机号').fill((tagged[0] ?? '').replace('+86', ''));
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page).toHaveURL(profilePath(tagged[0] ?? ''));
});

test("earns for a purchase at the merchant's rate; the balance shown is the API's", async ({ page }) => {
  const phone = newPhone();
  await addMemberInApi(page, { phone, name: '周一' });
  await page.goto(profilePath(phone));
  await page.getByLabel('消费金额（元）').fill('123.45');
  await page.getByRole('button', { name: '记积分' }).click();

  // The demo merchant earns 1 point a yuan, whole points only.
  await expect(page.getByRole('status').filter({ hasText: '已记账：+123 积分' })).toBeVisible();
  const member = await memberInApi(page, phone);
  expect(member.points).toBe(123);
  await expect(page.getByRole('group', { name: '积分', exact: true })).toContainText(String(member.points));
  await expect(page.getByRole('cell', { name: '+123 积分' })).toBeVisible();
  expect(await ledgerInApi(page, phone)).toMatchObject([{ type: 'earn', delta: 123 }]);
});

test('a double click earns once, and so does a retry after the answer was lost', async ({ page }) => {
  const phone = newPhone();
  await addMemberInApi(page, { phone });
  await page.goto(profilePath(phone));

  await page.getByLabel('消费金额（元）').fill('50');
  await page.getByRole('button', { name: '记积分' }).dblclick();
  await expect(page.getByRole('status').filter({ hasText: '+50 积分' })).toBeVisible();
  expect(await ledgerInApi(page, phone)).toHaveLength(1);
  expect((await memberInApi(page, phone)).points).toBe(50);

  // The API earns the points, but its answer never reaches the page: the cashier submits again.
  await page.route('**/v1/members/*/points', async (route) => {
    await route.fetch();
    await route.abort('internetdisconnected');
  });
  await page.getByLabel('消费金额（元）').fill('20');
  await page.getByRole('button', { name: '记积分' }).click();
  await expect(page.getByText('连接已断开')).toBeVisible();
  expect((await memberInApi(page, phone)).points).toBe(70);
  await page.unroute('**/v1/members/*/points');
  const [retry] = await Promise.all([
    page.waitForResponse('**/v1/members/*/points'),
    page.getByRole('button', { name: '记积分' }).click(),
  ]);
  expect(((await retry.json()) as { replayed: boolean }).replayed).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: '+20 积分' })).toBeVisible();
  expect(await ledgerInApi(page, phone)).toHaveLength(2);
  expect((await memberInApi(page, phone)).points).toBe(70);

  // After a success the form is a new operation: the same amount again earns again.
  await page.getByLabel('消费金额（元）').fill('20');
  await page.getByRole('button', { name: '记积分' }).click();
  await expect.poll(async () => (await memberInApi(page, phone)).points).toBe(90);
});

test('a refusal naming a field shows under that field', async ({ page }) => {
  const phone = newPhone();
  await addMemberInApi(page, { phone });
  await page.goto(profilePath(phone));
  // More than one operation may move: the API names `purchaseCents`, shown at the amount.
  await page.getByLabel('消费金额（元）').fill('2000000');
  const [answer] = await Promise.all([
    page.waitForResponse('**/v1/members/*/points'),
    page.getByRole('button', { name: '记积分' }).click(),
  ]);
  expect(answer.status()).toBe(400);
  const { error } = (await answer.json()) as { error: { issues: { path: string; message: string }[] } };
  expect(error.issues[0]?.path).toBe('purchaseCents');
  const field = page.locator('.ant-form-item').filter({ has: page.getByLabel('消费金额（元）') });
  await expect(field).toContainText(error.issues[0]?.message ?? '');
  expect((await memberInApi(page, phone)).points).toBe(0);
});

test('redeems points, and the ledger shows each entry', async ({ page }) => {
  const phone = newPhone();
  await addMemberInApi(page, { phone });
  await page.goto(profilePath(phone));
  await page.getByRole('tab', { name: '赠送' }).click();
  await page.getByLabel('积分数').fill('30');
  await page.getByRole('button', { name: '赠送' }).click();
  await expect(page.getByRole('status').filter({ hasText: '+30 积分' })).toBeVisible();
  await page.getByRole('tab', { name: '兑换' }).click();
  await page.getByLabel('积分数').fill('12');
  await page.getByRole('button', { name: '兑换', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '-12 积分' })).toBeVisible();
  expect((await memberInApi(page, phone)).points).toBe(18);
  expect(await ledgerInApi(page, phone)).toMatchObject([
    { type: 'redeem', delta: -12 },
    { type: 'earn', delta: 30 },
  ]);
  await expect(page.getByRole('cell', { name: '-12 积分' })).toBeVisible();
});
