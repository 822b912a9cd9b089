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

test.beforeEach(({ page }) => signedInAs(page, 'owner'));

type Catalog = {
  benefits: {
    code: string;
    name: string;
    tiers: string[];
    pricePoints?: number;
    stock?: number;
    active?: boolean;
  }[];
};

const newCode = () => `G${Date.now().toString(36).toUpperCase().slice(-6)}`;

test('staff price a gift in points for every member, change the price, and the API has it', async ({
  page,
}, testInfo) => {
  const code = newCode();
  await page.goto('/benefits');
  await page.getByRole('button', { name: '新建权益' }).click();
  const dialog = page.getByRole('dialog', { name: '新建权益' });
  await dialog.getByLabel('代码').fill(code);
  await dialog.getByLabel('名称').fill('雨伞');
  await dialog.getByLabel('兑换积分').fill('300');
  await dialog.getByLabel('库存').fill('5');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: new RegExp(code) });
  await expect(row).toContainText('300 积分');
  await expect(row).toContainText('所有会员');
  await expect(row).toContainText('5 · 已领 0 · 已用 0');
  let catalog = (await apiAs<Catalog>(page, 'GET', '/v1/benefits')).body;
  expect(catalog.benefits.find((b) => b.code === code)).toMatchObject({
    name: '雨伞',
    tiers: [],
    pricePoints: 300,
    stock: 5,
  });

  await row.getByRole('button', { name: '编辑「雨伞」' }).click();
  const editing = page.getByRole('dialog', { name: '编辑「雨伞」' });
  await editing.getByLabel('兑换积分').fill('250');
  await editing.getByRole('button', { name: '保存' }).click();
  await expect(editing).toBeHidden();
  await expect(row).toContainText('250 积分');
  catalog = (await apiAs<Catalog>(page, 'GET', '/v1/benefits')).body;
  expect(catalog.benefits.find((b) => b.code === code)).toMatchObject({ pricePoints: 250, stock: 5 });
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'benefits-desktop');
});

test("a free benefit for no tier is refused with the API's reason at the tiers", async ({ page }) => {
  const code = newCode();
  await page.goto('/benefits');
  await page.getByRole('button', { name: '新建权益' }).click();
  const dialog = page.getByRole('dialog', { name: '新建权益' });
  await dialog.getByLabel('代码').fill(code);
  await dialog.getByLabel('名称').fill('免费雨伞');
  await dialog.getByRole('button', { name: '保存' }).click();
  const tiersField = dialog.locator('.ant-form-item', { has: page.getByLabel('可领等级') });
  await expect(tiersField).toContainText('give a pricePoints to open it to every member');
  const catalog = (await apiAs<Catalog>(page, 'GET', '/v1/benefits')).body;
  expect(catalog.benefits.find((b) => b.code === code)).toBeUndefined();
});

test('the catalog counts claims so far, a code in use is refused for a new benefit, and a benefit is stopped, confirmed first', async ({
  page,
}) => {
  const code = newCode();
  const gift = { code, name: '帆布袋', tiers: ['silver'], limit: 'once', stock: 3 };
  expect((await apiAs(page, 'POST', '/v1/benefits', gift)).status).toBe(200);
  const member = newPhone();
  await addMemberInApi(page, { phone: member });
  const claimed = await page.request.post(`/v1/members/${encodeURIComponent(member)}/claims`, {
    data: { code },
    headers: { 'x-mcrm-csrf': '1', 'idempotency-key': `bag-${code}` },
  });
  expect(claimed.status(), await claimed.text()).toBe(201);

  await page.goto('/benefits');
  const row = page.getByRole('row', { name: new RegExp(code) });
  await expect(row).toContainText('2 · 已领 1 · 已用 0');

  // A new benefit under the code of one in the catalog would replace it: refused at the code.
  await page.getByRole('button', { name: '新建权益' }).click();
  const dialog = page.getByRole('dialog', { name: '新建权益' });
  await dialog.getByLabel('代码').fill(code.toLowerCase());
  await dialog.getByLabel('名称').fill('另一个袋子');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByText('这个代码已用于「帆布袋」')).toBeVisible();
  await dialog.getByRole('button', { name: /Close|关闭/ }).click();
  const kept = (await apiAs<Catalog>(page, 'GET', '/v1/benefits')).body.benefits.find((b) => b.code === code);
  expect(kept?.name).toBe('帆布袋');

  await row.getByRole('button', { name: '停用' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '停用' }).click();
  await expect(row).toContainText('已停用');
  const stopped = (await apiAs<Catalog>(page, 'GET', '/v1/benefits')).body.benefits.find(
    (b) => b.code === code,
  );
  expect(stopped).toMatchObject({ active: false });
  await expect(row.getByRole('button', { name: '停用' })).toHaveCount(0);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the catalog and its form fit 390 px', async ({ page }, testInfo) => {
    const code = newCode();
    const gift = { code, name: '保温杯', tiers: [], pricePoints: 800, limit: 'once', stock: 20 };
    expect((await apiAs(page, 'POST', '/v1/benefits', gift)).status).toBe(200);
    await page.goto('/benefits');
    await expect(page.getByRole('row', { name: new RegExp(code) })).toContainText('800 积分');
    await expect(page.getByRole('heading', { name: '权益目录' })).toBeVisible();
    await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'benefits-phone');
    await page.getByRole('button', { name: '新建权益' }).click();
    await expect(page.getByRole('dialog', { name: '新建权益' }).getByLabel('兑换积分')).toBeVisible();
    await saveScreenshot(page, testInfo, 'benefits-form-phone');
  });
});
