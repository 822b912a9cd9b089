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

test.beforeEach(({ page }) => signedInAs(page, 'owner'));

type Product = { productId: string; name: string; uses: number; priceCents: number; active: boolean };
type Card = { cardId: string; name: string; usesLeft: number; state: string; refundCents?: number };

const unique = () => Date.now().toString(36).slice(-5);

async function productInApi(
  page: Page,
  name: string,
  fields: Record<string, unknown> = {},
): Promise<Product> {
  const created = await apiAs<{ product: Product }>(page, 'POST', '/v1/count-cards', {
    name,
    uses: 3,
    priceCents: 9_000,
    validity: { kind: 'days', days: 365 },
    ...fields,
  });
  expect(created.status).toBe(201);
  return created.body.product;
}

/** A member with stored value, topped up through the API with the page's owner session. */
async function memberWithStoredValue(page: Page, cents: number): Promise<string> {
  const member = newPhone();
  await addMemberInApi(page, { phone: member, name: '张三' });
  const topUp = await page.request.post(`/v1/members/${encodeURIComponent(member)}/stored-value/top-up`, {
    data: { cents },
    headers: { 'x-mcrm-csrf': '1', 'idempotency-key': `top-up-${member.slice(-8)}` },
  });
  expect(topUp.status()).toBe(201);
  return member;
}

test('staff create a count card, see it listed, and stop selling it after a confirm; the API has it', async ({
  page,
}, testInfo) => {
  const name = `洗车卡${unique()}`;
  await page.goto('/count-cards');
  await page.getByRole('button', { name: '新建次卡' }).click();
  const dialog = page.getByRole('dialog', { name: '新建次卡' });
  await dialog.getByLabel('名称').fill(name);
  await dialog.getByLabel('次数').fill('10');
  await dialog.getByLabel('售价').fill('300');
  await dialog.getByLabel('天数（含售出当天）').fill('90');
  await dialog.getByRole('button', { name: '创建' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('10次');
  await expect(row).toContainText('¥300.00');
  await expect(row).toContainText('售出后90天');
  const listed = (await apiAs<{ products: Product[] }>(page, 'GET', '/v1/count-cards')).body.products;
  expect(listed.find((p) => p.name === name)).toMatchObject({ uses: 10, priceCents: 30_000, active: true });
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'count-cards-desktop');

  await row.getByRole('button', { name: `停售${name}` }).click();
  await page.getByRole('button', { name: '停售', exact: true }).click();
  await expect(row).toContainText('已停售');
  const after = (await apiAs<{ products: Product[] }>(page, 'GET', '/v1/count-cards')).body.products;
  expect(after.find((p) => p.name === name)?.active).toBe(false);
});

test("a member's page sells a card from stored value, uses it after a confirm, and refunds what is left", async ({
  page,
}, testInfo) => {
  const name = `打蜡卡${unique()}`;
  await productInApi(page, name);
  const member = await memberWithStoredValue(page, 10_000);
  await page.goto(`/members/${encodeURIComponent(member)}`);
  const section = page.locator('.ant-card', { has: page.getByText('次卡', { exact: true }) });
  await expect(section).toContainText('暂无次卡');
  await section.getByLabel('选择次卡').click();
  await page.locator('.ant-select-item-option', { hasText: name }).click();
  await section.getByRole('button', { name: '售出' }).click();
  await expect(section).toContainText('剩余3/3次');
  let cards = (
    await apiAs<{ cards: Card[] }>(page, 'GET', `/v1/members/${encodeURIComponent(member)}/count-cards`)
  ).body.cards;
  expect(cards).toMatchObject([{ name, usesLeft: 3, state: 'usable' }]);

  await section.getByRole('button', { name: `${name}扣一次` }).click();
  await expect(page.getByText(`「${name}」扣1次，扣后剩2次？`)).toBeVisible();
  await page.getByRole('button', { name: '扣一次', exact: true }).click();
  await expect(section).toContainText('剩余2/3次');
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'member-count-cards-desktop');

  await section.getByRole('button', { name: `${name}退卡` }).click();
  await expect(page.getByText(`退「${name}」剩余次数，退款¥60.00？`)).toBeVisible();
  await page.getByRole('button', { name: '退卡', exact: true }).click();
  await expect(section).toContainText('已退卡');
  cards = (
    await apiAs<{ cards: Card[] }>(page, 'GET', `/v1/members/${encodeURIComponent(member)}/count-cards`)
  ).body.cards;
  expect(cards).toMatchObject([{ usesLeft: 0, state: 'refunded', refundCents: 6_000 }]);
  const { member: after } = (
    await apiAs<{ member: { storedValue: number } }>(page, 'GET', `/v1/members/${encodeURIComponent(member)}`)
  ).body;
  expect(after.storedValue).toBe(10_000 - 9_000 + 6_000);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the count cards and a member’s cards fit 390 px', async ({ page }, testInfo) => {
    const name = `年卡${unique()}`;
    // Stores of the shop's (the same store again is the same store): the card is valid at both.
    for (const [storeId, storeName] of [
      ['zongdian', '总店'],
      ['dongmen', '东门店'],
    ]) {
      const store = await apiAs(page, 'POST', '/v1/stores', { storeId, name: storeName });
      expect([200, 201]).toContain(store.status);
    }
    const product = await productInApi(page, name, { stores: ['zongdian', 'dongmen'] });
    const member = await memberWithStoredValue(page, 20_000);
    const sold = await page.request.post(`/v1/members/${encodeURIComponent(member)}/count-cards`, {
      data: { productId: product.productId, payment: 'till' },
      headers: { 'x-mcrm-csrf': '1', 'idempotency-key': `sale-${member.slice(-8)}` },
    });
    expect(sold.status()).toBe(201);
    await page.goto('/count-cards');
    await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('总店、东门店');
    await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'count-cards-phone');
    await page.goto(`/members/${encodeURIComponent(member)}`);
    await expect(page.getByText('剩余3/3次')).toBeVisible();
    await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'member-count-cards-phone');
  });
});
