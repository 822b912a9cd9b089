import { expect, test } from './fixtures';
import { apiAs, newStaffPhone, ownerState, signIn } from './staff-session';

test('a cashier sees only the counter, is refused the settings page, and the API answers 403 to settings', async ({
  browser,
}) => {
  const owner = await browser.newPage({ storageState: ownerState });
  const phone = newStaffPhone();
  const added = await apiAs(owner, 'POST', '/v1/staff', { phone, name: '收银员甲', role: 'cashier' });
  expect(added.status).toBe(201);
  await owner.close();

  const page = await browser.newPage();
  await signIn(page, phone);
  await expect(page).toHaveURL(/\/counter$/);
  const menu = page.getByRole('menu');
  await expect(menu.getByRole('link')).toHaveText(['收银台']);
  await expect(menu.getByRole('link', { name: '设置' })).toHaveCount(0);
  await expect(page.getByText(/^收银员甲 · 收银 · /)).toBeVisible();

  await page.goto('/settings');
  await expect(page.getByText('你的角色不能打开这一页')).toBeVisible();
  // The server refuses it too, whatever the console offers: the cashier's own cookie, with the CSRF header.
  const put = await apiAs<{ error: { code: string } }>(page, 'PUT', '/v1/settings/sending', { mps: 1 });
  expect(put.status).toBe(403);
  expect((await apiAs(page, 'GET', '/v1/settings/sending')).status).toBe(403);
  expect((await apiAs(page, 'GET', '/v1/staff')).status).toBe(403);
  expect((await apiAs(page, 'GET', '/v1/stats/now')).status).toBe(403);
  await page.close();
});
