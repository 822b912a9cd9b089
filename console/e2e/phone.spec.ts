import {
  expect,
  expectNoSidewaysScroll,
  newPhone,
  phone,
  saveScreenshot,
  signedInAs,
  test,
  textArrives,
} from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'marketing'));

test('feedback texted from the phone simulator is answered in the inbox, and the answer reaches the phone', async ({
  page,
}, testInfo) => {
  test.slow();
  const customer = newPhone();
  await page.goto('/phone');
  await expect(page.getByText('与 +861069000000 的短信')).toBeVisible();
  const from = page.getByLabel('顾客手机');
  await from.fill(customer);
  await from.press('Enter');
  await expect(page).toHaveURL(new RegExp(`phone=${encodeURIComponent(customer)}`));
  // The address changes at once, the page a moment later: text only once the phone shows the customer's.
  await expect(page.getByText(`${customer} 与 +861069000000 的短信`)).toBeVisible();
  const thread = page.getByRole('log', { name: '短信对话' });
  await page.getByLabel('短信内容').fill('反馈 拿铁太甜了');
  await page.getByRole('button', { name: '发送' }).click();
  await expect(thread).toContainText('反馈 拿铁太甜了', textArrives);
  const acknowledged = thread.getByText(/感谢您的反馈（编号\d+）/);
  await expect(acknowledged).toBeVisible(textArrives);
  const ticketId = /编号(\d+)/.exec((await acknowledged.textContent()) ?? '')?.[1] ?? '';
  await expect(page.getByLabel('短信内容')).toHaveValue('');
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'phone-desktop');

  await page.getByRole('menu').getByRole('link', { name: '工单' }).click();
  await page.getByRole('link', { name: `打开工单 ${ticketId}`, exact: true }).click();
  await expect(page.getByRole('log', { name: '对话' })).toContainText('反馈 拿铁太甜了');
  await page.getByRole('main').getByRole('button', { name: '回复' }).click();
  await page.getByLabel('回复内容').fill('抱歉，下次为您少放糖。');
  await page.getByRole('button', { name: '发送回复' }).click();
  await expect(page.getByText('已回复', { exact: true })).toBeVisible();

  await page.getByRole('menu').getByRole('link', { name: '手机模拟器' }).click();
  await page.getByLabel('顾客手机').fill(customer);
  await page.getByLabel('顾客手机').press('Enter');
  await expect(page.getByText(`${customer} 与 +861069000000 的短信`)).toBeVisible();
  await expect(thread.getByText(`【示例商户】（回复您的编号${ticketId}）抱歉，下次为您少放糖。`)).toBeVisible(
    textArrives,
  );
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the simulator fits 390 px', async ({ page }, testInfo) => {
    const customer = newPhone();
    await page.goto(`/phone?phone=${encodeURIComponent(customer)}`);
    await page.getByLabel('短信内容').fill('帮助');
    await page.getByRole('button', { name: '发送' }).click();
    await expect(page.getByRole('log', { name: '短信对话' }).getByText(/积分/).first()).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'phone-phone');
  });
});
