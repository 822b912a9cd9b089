import type { Page } from '@playwright/test';
import { paintedPixels } from './chart';
import { expect, expectNoSidewaysScroll, phone, saveScreenshot, signedInAs, test } from './fixtures';

// The chart draws at once instead of animating in, so the screenshot shows it.
test.use({ contextOptions: { reducedMotion: 'reduce' } });
test.beforeEach(({ page }) => signedInAs(page, 'owner'));

/** Each page of the owner's, with something on it that shows its data loaded. */
const pages = [
  { path: '/dashboard', name: 'dashboard', ready: '近 30 天' },
  { path: '/staff', name: 'staff', ready: '+8613900000000' },
  { path: '/stores', name: 'stores', ready: '新建门店' },
  { path: '/api-keys', name: 'api-keys', ready: '未命名' },
  { path: '/audit', name: 'audit', ready: '时间' },
  { path: '/settings', name: 'settings', ready: '会员等级' },
  { path: '/templates', name: 'templates', ready: '新建模板' },
  { path: '/audiences', name: 'audiences', ready: '新建人群' },
  { path: '/campaigns', name: 'campaigns', ready: '活动名称' },
  { path: '/care', name: 'care', ready: '关怀日历' },
  { path: '/campaigns/new', name: 'composer', ready: '发送预估' },
  { path: '/reminders', name: 'reminders', ready: '新建提醒' },
  { path: '/keyword-apps', name: 'keyword-apps', ready: '新建应用' },
  { path: '/tickets', name: 'tickets', ready: '已关闭' },
  { path: '/referrals', name: 'referrals', ready: '入会时间' },
  { path: '/surveys', name: 'surveys', ready: '新建问卷' },
  { path: '/surveys/new', name: 'survey-builder', ready: '添加题目' },
  { path: '/retention', name: 'retention', ready: '红区唤回（示例）' },
  { path: '/phone', name: 'phone', ready: '顾客手机' },
] as const;

/** The page's data is in, nothing is spinning, and a chart, if any, is drawn. */
async function loaded(page: Page, ready: string): Promise<void> {
  await expect(page.getByText(ready, { exact: true }).first()).toBeVisible();
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  const charts = page.getByRole('img', { name: '近 30 天每天的新会员、短信与退订' });
  for (const chart of await charts.all())
    await expect.poll(() => paintedPixels(chart.locator('canvas'))).toBeGreaterThan(1000);
}

for (const { path, name, ready } of pages) {
  test(`${name} on a desktop`, async ({ page }, testInfo) => {
    await page.goto(path);
    await loaded(page, ready);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, `${name}-desktop`);
  });

  test.describe('on a phone', () => {
    test.use(phone);

    test(`${name} fits a 390 px phone`, async ({ page }, testInfo) => {
      await page.goto(path);
      await loaded(page, ready);
      await expectNoSidewaysScroll(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, testInfo, `${name}-phone`);
    });
  });
}
