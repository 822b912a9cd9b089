import { apiAs, newStaffPhone } from './api';
import { expect, signedInAs, test } from './fixtures';
import { staffPhones } from './staff';

test.beforeEach(({ page }) => signedInAs(page, 'owner'));

type StaffPage = { staff: { staffId: string; phone: string; name: string; role: string; status: string }[] };

test('the owner adds a cashier, who is on the list and in the API as a cashier', async ({ page }) => {
  const phone = newStaffPhone();
  await page.goto('/staff');
  await page.getByRole('button', { name: '添加员工' }).click();
  const dialog = page.getByRole('dialog', { name: '添加员工' });
  await dialog.getByLabel('手机号').fill(phone);
  await dialog.getByLabel('姓名').fill('小林');
  // The role a new member of staff is given unless the owner picks another.
  await expect(dialog.getByText('收银 · 收银台')).toBeVisible();
  await dialog.getByRole('button', { name: '添加员工' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: new RegExp(phone.replace('+', '\\+')) });
  await expect(row).toContainText('小林');
  await expect(row).toContainText('收银');

  const { body } = await apiAs<StaffPage>(page, 'GET', '/v1/staff');
  expect(body.staff.find((member) => member.phone === phone)).toMatchObject({
    name: '小林',
    role: 'cashier',
    status: 'active',
  });

  // The same phone again: the API's reason shows at the phone field.
  await page.getByRole('button', { name: '添加员工' }).click();
  await dialog.getByLabel('手机号').fill(phone);
  await dialog.getByLabel('姓名').fill('小林二号');
  await dialog.getByRole('button', { name: '添加员工' }).click();
  await expect(dialog.getByText('this phone already signs in as a member of staff')).toBeVisible();
  const again = await apiAs<StaffPage>(page, 'GET', '/v1/staff');
  expect(again.body.staff.filter((member) => member.phone === phone)).toHaveLength(1);
});

test("demoting the only owner shows the API's reason at the role, and changes nothing", async ({ page }) => {
  await page.goto('/staff');
  const row = page.getByRole('row', { name: new RegExp(staffPhones.owner.replace('+', '\\+')) });
  await row.getByRole('button', { name: '修改角色' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('角色').click();
  await page.getByTitle('营销 · 会员、短信与活动').click();
  await dialog.getByRole('button', { name: '保存' }).click();
  const roleField = dialog.locator('.ant-form-item', { has: page.getByLabel('角色') });
  await expect(roleField).toContainText('this is your only owner: make someone else owner first');
  const { body } = await apiAs<StaffPage>(page, 'GET', '/v1/staff');
  expect(body.staff.find((member) => member.phone === staffPhones.owner)?.role).toBe('owner');
});

test('a new API key shows its secret once, works, and is refused once revoked', async ({ page, request }) => {
  await page.goto('/api-keys');
  await page.getByRole('button', { name: '新建密钥' }).click();
  const dialog = page.getByRole('dialog');
  const name = `收银系统 ${Date.now()}`;
  await dialog.getByLabel('名称').fill(name);
  await dialog.getByRole('button', { name: '新建密钥' }).click();
  await expect(dialog.getByText('密钥只显示这一次')).toBeVisible();
  const secret = (await dialog.getByLabel('新密钥').innerText()).trim();
  const withKey = (path: string) => request.get(path, { headers: { authorization: `Bearer ${secret}` } });
  expect((await withKey('/v1/settings/loyalty')).status()).toBe(200);
  await dialog.getByRole('button', { name: '已保存，关闭' }).click();

  const row = page.getByRole('row', { name: new RegExp(`${name} …${secret.slice(-4)}`) });
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: '吊销' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '吊销' }).click();
  await expect(row).toContainText('已于');
  expect((await withKey('/v1/settings/loyalty')).status()).toBe(401);
});
