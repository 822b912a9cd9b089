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

test.beforeEach(({ page }) => signedInAs(page, 'marketing'));

type Referrals = { referrals: { newMember: { phone?: string }; status: string }[] };

/** A referrer and the member they brought, added through the API as the counter would. */
async function referral(page: Parameters<typeof addMemberInApi>[0]) {
  const referrer = newPhone();
  const referred = newPhone();
  await addMemberInApi(page, { phone: referrer, name: '老会员王' });
  await addMemberInApi(page, { phone: referred, name: '新会员李', referrerPhone: referrer });
  return { referrer, referred };
}

test('the referral report lists who brought whom, waiting for the first purchase', async ({
  page,
}, testInfo) => {
  const { referrer, referred } = await referral(page);
  const { body } = await apiAs<Referrals>(page, 'GET', '/v1/referrals');
  expect(body.referrals.find((r) => r.newMember.phone === referred)).toMatchObject({ status: 'pending' });

  await page.goto('/dashboard');
  await expect(page.getByRole('heading', { name: '概览' })).toBeVisible();
  await page.getByRole('menu').getByRole('link', { name: '推荐有礼' }).click();
  await expect(page.getByRole('heading', { name: '推荐有礼' })).toBeVisible();
  // Other tests add referrals meanwhile: the row of this one's new member.
  const row = page.getByRole('row', { name: new RegExp(`\\${referred}`) });
  await expect(row).toContainText('老会员王');
  await expect(row).toContainText(referrer);
  await expect(row).toContainText('待首次消费');
  await expect(row).toContainText('接口添加');
  await saveScreenshot(page, testInfo, 'referrals-desktop');

  await row.getByRole('link', { name: '新会员李' }).click();
  await expect(page).toHaveURL(new RegExp(`/members/${encodeURIComponent(referred)}$`));
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the referral report fits the screen', async ({ page }, testInfo) => {
    await referral(page);
    await page.goto('/referrals');
    await expect(page.getByRole('row', { name: /新会员李/ }).first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'referrals-phone');
  });
});
