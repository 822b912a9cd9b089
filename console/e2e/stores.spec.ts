import type { Page } from '@playwright/test';
import { apiAs, newStaffPhone } from './api';
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

type Store = { storeId: string; name: string; address?: string; status: string };

/** A store of this test's own, made through the page. */
async function createStore(page: Page, name: string): Promise<string> {
  const storeId = `t-${crypto.randomUUID().slice(0, 8)}`;
  await page.goto('/stores');
  await page.getByRole('button', { name: '新建门店' }).first().click();
  const dialog = page.getByRole('dialog', { name: '新建门店' });
  await dialog.getByLabel('门店编号').fill(storeId);
  await dialog.getByLabel('门店名称').fill(name);
  await dialog.getByLabel('地址').fill('漕溪北路1号');
  await dialog.getByRole('button', { name: '新建门店' }).click();
  await expect(dialog).toBeHidden();
  return storeId;
}

const storeInApi = async (page: Page, storeId: string) =>
  (await apiAs<{ stores: Store[] }>(page, 'GET', '/v1/stores')).body.stores.find(
    (s) => s.storeId === storeId,
  );

test('the owner creates, renames, closes and reopens a store; a taken code is refused at its field', async ({
  page,
}) => {
  const name = `徐汇店${Date.now() % 10_000}`;
  const storeId = await createStore(page, name);
  const row = page.getByRole('row', { name: new RegExp(storeId) });
  await expect(row).toContainText(name);
  await expect(row).toContainText('营业中');
  expect(await storeInApi(page, storeId)).toMatchObject({ name, address: '漕溪北路1号', status: 'open' });

  // The same code for another store: the API's reason at the code, nothing changed.
  await page.getByRole('button', { name: '新建门店' }).first().click();
  const dialog = page.getByRole('dialog', { name: '新建门店' });
  await dialog.getByLabel('门店编号').fill(storeId);
  await dialog.getByLabel('门店名称').fill('另一家店');
  await dialog.getByRole('button', { name: '新建门店' }).click();
  const codeField = dialog.locator('.ant-form-item', { has: page.getByLabel('门店编号') });
  await expect(codeField).toContainText(`taken by ${name}`);
  // A code the API would refuse is refused before it is sent.
  await dialog.getByLabel('门店编号').fill('Xu Hui');
  await expect(codeField).toContainText('只能用小写字母、数字和连字符');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect((await storeInApi(page, storeId))?.name).toBe(name);

  await row.getByRole('button', { name: '编辑' }).click();
  const edit = page.getByRole('dialog', { name: `编辑 ${name}` });
  await expect(edit.getByLabel('门店编号')).toBeDisabled();
  await edit.getByLabel('门店名称').fill(`${name}（旗舰）`);
  await edit.getByLabel('地址').fill('');
  await edit.getByRole('button', { name: '保存' }).click();
  await expect(edit).toBeHidden();
  await expect(row).toContainText(`${name}（旗舰）`);
  const renamed = await storeInApi(page, storeId);
  expect(renamed?.address).toBeUndefined();

  await row.getByRole('button', { name: '关闭门店' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '关闭门店' }).click();
  await expect(row).toContainText('已关闭');
  expect((await storeInApi(page, storeId))?.status).toBe('closed');
  await row.getByRole('button', { name: '重新营业' }).click();
  await expect(row).toContainText('营业中');
});

test('staff are given a store, and what is recorded there shows in the store figures', async ({
  page,
}, testInfo) => {
  test.slow();
  const name = `静安店${Date.now() % 10_000}`;
  const storeId = await createStore(page, name);

  const staffPhone = newStaffPhone();
  await page.goto('/staff');
  await page.getByRole('button', { name: '添加员工' }).click();
  const dialog = page.getByRole('dialog', { name: '添加员工' });
  await dialog.getByLabel('手机号').fill(staffPhone);
  await dialog.getByLabel('姓名').fill('小静');
  await dialog.getByLabel('门店').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(name).click();
  await dialog.getByRole('button', { name: '添加员工' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: new RegExp(staffPhone.replace('+', '\\+')) });
  await expect(row).toContainText(name);
  const { body } = await apiAs<{ staff: { phone: string; storeId?: string }[] }>(page, 'GET', '/v1/staff');
  expect(body.staff.find((member) => member.phone === staffPhone)?.storeId).toBe(storeId);

  const member = newPhone();
  await addMemberInApi(page, { phone: member, name: '门店会员' });
  const earned = await apiAs<{ entry: { storeId?: string } }>(
    page,
    'POST',
    `/v1/members/${encodeURIComponent(member)}/points`,
    { purchaseCents: 12_300, storeId, idempotencyKey: crypto.randomUUID() },
  );
  expect(earned.body.entry.storeId).toBe(storeId);

  // The figures are counted from the events, a moment behind: the page opens once they are in.
  type StoreStats = { storeStats: { stores: { storeId: string; totals: { spendCents: number } }[] } };
  await expect
    .poll(
      async () =>
        (await apiAs<StoreStats>(page, 'GET', '/v1/stats/stores')).body.storeStats.stores.find(
          (store) => store.storeId === storeId,
        )?.totals.spendCents,
      { timeout: 20_000 },
    )
    .toBe(12_300);
  await page.goto('/dashboard');
  const figures = page.getByRole('row', { name: new RegExp(name) });
  await expect(figures).toContainText('¥123.00');
  await expect(figures).toContainText('123');
  await saveScreenshot(page, testInfo, 'dashboard-stores');
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the stores page and the store form fit 390 px', async ({ page }, testInfo) => {
    await createStore(page, `手机店${Date.now() % 10_000}`);
    await expect(page.getByRole('heading', { name: '门店' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'stores-phone');
    await page.getByRole('button', { name: '新建门店' }).first().click();
    await expect(page.getByRole('dialog', { name: '新建门店' })).toBeVisible();
    await saveScreenshot(page, testInfo, 'store-form-phone');
  });
});
