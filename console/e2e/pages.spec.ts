import { expect, expectNoSidewaysScroll, phone, saveScreenshot, test } from './fixtures';
import { ownerState } from './staff-session';

test.use({ storageState: ownerState });

/** Each page of the owner's, with something on it that shows it loaded. */
const pages = [
  { path: '/dashboard', name: 'dashboard', ready: '近 30 天' },
  { path: '/staff', name: 'staff', ready: '店主' },
  { path: '/api-keys', name: 'api-keys', ready: '状态' },
  { path: '/audit', name: 'audit', ready: '操作人' },
  { path: '/settings', name: 'settings', ready: '会员等级' },
] as const;

for (const { path, name, ready } of pages) {
  test(`${name} on a desktop`, async ({ page }, testInfo) => {
    await page.goto(path);
    await expect(page.getByText(ready, { exact: true }).first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, `${name}-desktop`);
  });

  test.describe('on a phone', () => {
    test.use(phone);

    test(`${name} fits a 390 px phone`, async ({ page }, testInfo) => {
      await page.goto(path);
      await expect(page.getByText(ready, { exact: true }).first()).toBeVisible();
      await expectNoSidewaysScroll(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await saveScreenshot(page, testInfo, `${name}-phone`);
    });
  });
}
