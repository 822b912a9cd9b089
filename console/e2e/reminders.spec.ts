import type { Locator, Page } from '@playwright/test';
import { apiAs } from './api';
import {
  expect,
  expectNoSidewaysScroll,
  newPhone,
  phone,
  saveScreenshot,
  signedInAs,
  test,
} from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'marketing'));

/** Picks an option of a short antd select. */
async function choose(page: Page, select: Locator, option: string) {
  await select.click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
}

type Reminders = { reminders: { reminderId: string; template: string; status: string; nextAt?: string }[] };
const remindersSaying = async (page: Page, template: string) =>
  (await apiAs<Reminders>(page, 'GET', '/v1/reminders')).body.reminders.filter(
    (r) => r.template === template,
  );

test('a recurring staff reminder is created with its next firings shown, listed, and cancelled once confirmed', async ({
  page,
}, testInfo) => {
  const staff = newPhone();
  const text = `{{merchant}}：周一盘点 ${Date.now().toString(36)}`;
  await page.goto('/reminders');
  await expect(page.getByRole('heading', { name: '提醒' })).toBeVisible();
  await page.getByText('员工', { exact: true }).click();
  await page.getByLabel('员工手机号').fill(staff);
  await page.getByLabel('员工手机号').press('Enter');
  await page.getByLabel('短信内容').fill(text);
  await page.getByText('周期重复', { exact: true }).click();
  await choose(page, page.getByRole('combobox', { name: '重复方式' }), '每周');
  const firings = page.getByRole('region', { name: '接下来五次发送' }).getByRole('listitem');
  await expect(firings).toHaveCount(5);
  for (const firing of await firings.all()) await expect(firing).toContainText(/周一/);
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'reminders-desktop');
  await page.getByRole('button', { name: '创建提醒' }).dblclick();

  const row = page.getByRole('row').filter({ hasText: text });
  await expect(row).toContainText('已排期');
  await expect(row).toContainText(staff);
  await saveScreenshot(page, testInfo, 'reminders-list-desktop');
  const made = await remindersSaying(page, text);
  expect(made).toHaveLength(1);
  expect(new Date(made[0]?.nextAt ?? '').getTime()).toBeGreaterThan(Date.now());

  await row.getByRole('button', { name: '取消提醒' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '取消提醒' }).click();
  await expect(row).toContainText('已取消');
  expect((await remindersSaying(page, text))[0]?.status).toBe('cancelled');
  await expect(row.getByRole('button', { name: '取消提醒' })).toHaveCount(0);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the reminders page fits 390 px', async ({ page }, testInfo) => {
    await page.goto('/reminders');
    await expect(page.getByRole('heading', { name: '提醒' })).toBeVisible();
    await page.getByText('周期重复', { exact: true }).click();
    await expect(page.getByRole('region', { name: '接下来五次发送' }).getByRole('listitem')).toHaveCount(5);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'reminders-phone');
  });
});
