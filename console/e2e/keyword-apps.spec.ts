import { apiAs } from './api';
import {
  expect,
  expectNoSidewaysScroll,
  phone,
  saveScreenshot,
  signedInAs,
  test,
  textArrives,
} from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'marketing'));

/** A keyword no other test uses: letters and digits, at most 20. */
const newWord = (prefix: string) => `${prefix}${Date.now().toString(36).toUpperCase().slice(-6)}`;

type Apps = { apps: { name: string; keyword: string; aliases: string[]; enabled: boolean; uses: number }[] };

test('an app made with the wizard answers in the phone simulator', async ({ page }, testInfo) => {
  test.slow();
  const keyword = newWord('HY');
  await page.goto('/keyword-apps');
  await page.getByRole('button', { name: '新建应用' }).click();
  await page.getByLabel('应用名称').fill('会员日提醒');
  await page.getByLabel('关键词', { exact: true }).fill(keyword);
  await page.getByLabel('别名').fill(`${keyword}X`);
  await page.getByLabel('别名').press('Enter');
  await saveScreenshot(page, testInfo, 'wizard-words-desktop');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('radio', { name: /^回复/ }).check();
  await page.getByRole('button', { name: '下一步' }).click();
  const reply = '每月8日会员日，全场积分翻倍！';
  await page.getByLabel('回复内容').fill(reply);
  await expect(page.getByTestId('reply-preview')).toHaveText(`【示例商户】${reply}`);
  await expect(page.getByText(/计费 1 条/)).toBeVisible();
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'wizard-reply-desktop');
  await page.getByRole('button', { name: '保存并试用' }).click();

  await expect(page.getByText('「会员日提醒」已保存并开始回复会员。')).toBeVisible();
  await expect(page.getByLabel('短信内容')).toHaveValue(keyword);
  await page.getByRole('button', { name: '发送' }).click();
  const thread = page.getByRole('log', { name: '短信对话' });
  await expect(thread.getByText(`【示例商户】${reply}`).last()).toBeVisible(textArrives);
  await saveScreenshot(page, testInfo, 'wizard-try-desktop');

  await page.getByRole('button', { name: '下一步' }).click();
  await expect(page.getByRole('switch', { name: '启用「会员日提醒」' })).toBeChecked();
  await page.getByRole('button', { name: '完成' }).click();
  await expect(page).toHaveURL(/\/keyword-apps$/);
  const row = page.getByRole('row', { name: new RegExp(keyword) });
  await expect(row).toContainText('会员日提醒');
  const { body } = await apiAs<Apps>(page, 'GET', '/v1/keyword-apps?limit=100');
  expect(body.apps.find((app) => app.keyword === keyword)).toMatchObject({
    name: '会员日提醒',
    aliases: [`${keyword}X`],
    enabled: true,
    uses: 1,
  });
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  await saveScreenshot(page, testInfo, 'keyword-apps-desktop');
});

test('a taken word is refused at its field, naming who has it: the system, or another app', async ({
  page,
}) => {
  const taken = newWord('QD');
  const other = { name: '签到', keyword: taken, action: { kind: 'reply' }, reply: { text: '签到成功' } };
  expect((await apiAs(page, 'POST', '/v1/keyword-apps', other)).status).toBe(201);

  await page.goto('/keyword-apps/new');
  await page.getByLabel('应用名称').fill('查积分');
  await page.getByLabel('关键词', { exact: true }).fill('积分');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByLabel('回复内容').fill('您好');
  await page.getByRole('button', { name: '保存并试用' }).click();
  // Back at the first step, under the keyword: the system keyword for points has it.
  const keywordField = page.locator('.ant-form-item', { has: page.getByLabel('关键词', { exact: true }) });
  await expect(keywordField).toContainText('"积分" is the system keyword for the points balance');

  await page.getByLabel('关键词', { exact: true }).fill(newWord('NEW'));
  await page.getByLabel('别名').fill(taken);
  await page.getByLabel('别名').press('Enter');
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('button', { name: '下一步' }).click();
  await page.getByRole('button', { name: '保存并试用' }).click();
  const aliasesField = page.locator('.ant-form-item', { has: page.getByLabel('别名') });
  await expect(aliasesField).toContainText(`"${taken}" is already a word of your keyword app "签到"`);
  const { body } = await apiAs<Apps>(page, 'GET', '/v1/keyword-apps?limit=100');
  expect(body.apps.filter((app) => app.name === '查积分')).toEqual([]);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the apps and the wizard fit 390 px', async ({ page }, testInfo) => {
    await page.goto('/keyword-apps');
    await expect(page.getByRole('heading', { name: '关键词应用' })).toBeVisible();
    await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'keyword-apps-phone');
    await page.getByRole('button', { name: '新建应用' }).click();
    await page.getByLabel('应用名称').fill('会员日');
    await page.getByLabel('关键词', { exact: true }).fill(newWord('P'));
    await page.getByRole('button', { name: '下一步' }).click();
    await page.getByRole('radio', { name: /^打标签/ }).check();
    await expect(page.getByRole('textbox', { name: '标签' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'wizard-action-phone');
  });
});
