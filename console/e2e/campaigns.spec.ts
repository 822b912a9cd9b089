import type { Locator, Page } from '@playwright/test';
import { apiAs } from './api';
import { paintedPixels } from './chart';
import {
  addMemberInApi,
  expect,
  expectNoSidewaysScroll,
  newPhone,
  phone,
  saveScreenshot,
  signedInAs,
  test,
  textArrives,
} from './fixtures';
import { textsTo } from './sms';

test.beforeEach(({ page }) => signedInAs(page, 'marketing'));

/** A marketing template and a campaign of it to the members with `tag`, scheduled as given: its id. */
async function campaignInApi(page: Page, name: string, tag: string, schedule: object): Promise<string> {
  const template = await apiAs<{ template: { templateId: string } }>(page, 'POST', '/v1/templates', {
    name,
    body: `${name}：本周拿铁第二杯半价`,
    category: 'marketing',
  });
  expect(template.status).toBe(201);
  const created = await apiAs<{ campaign: { campaignId: string } }>(page, 'POST', '/v1/campaigns', {
    name,
    templateId: template.body.template.templateId,
    audience: { definition: { field: 'tags', op: 'contains', value: tag } },
    schedule,
  });
  expect(created.status).toBe(201);
  const { campaignId } = created.body.campaign;
  expect((await apiAs(page, 'POST', `/v1/campaigns/${campaignId}/schedule`)).status).toBe(200);
  return campaignId;
}

const figure = (page: Page, name: string) => page.getByRole('status', { name, exact: true });

/** Picks an option of an antd select, typed to find it: the open list is the one visible. */
async function pick(page: Page, select: Locator, option: string) {
  await select.click();
  await select.fill(option);
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
}

/** Picks an option of a short antd select, which takes no typing. */
async function choose(page: Page, select: Locator, option: string) {
  await select.click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
}

/** A marketing template and a saved audience of the members tagged `tag`, made in the API: their names. */
async function templateAndAudience(page: Page, name: string, tag: string) {
  const template = await apiAs(page, 'POST', '/v1/templates', {
    name,
    body: `${name}：本周拿铁第二杯半价`,
    category: 'marketing',
  });
  expect(template.status).toBe(201);
  const audience = await apiAs(page, 'POST', '/v1/audiences', {
    name: `人群${tag}`,
    definition: { field: 'tags', op: 'contains', value: tag },
  });
  expect(audience.status).toBe(201);
  return { template: name, audience: `人群${tag}` };
}

/** Opens the composer from the list and fills in a campaign of the template to the audience. */
async function compose(page: Page, name: string, picks: { template: string; audience: string }) {
  await page.goto('/campaigns');
  await page.getByRole('button', { name: /新建活动/ }).click();
  await expect(page.getByRole('heading', { name: '新建活动' })).toBeVisible();
  await page.getByLabel('活动名称').fill(name);
  await pick(page, page.getByRole('combobox', { name: '短信模板' }), picks.template);
  await pick(page, page.getByRole('combobox', { name: '人群', exact: true }), picks.audience);
}

const estimate = (page: Page, label: string) =>
  page.locator('.ant-descriptions-item').filter({ hasText: label });

type Campaigns = { campaigns: { campaignId: string; name: string; status: string }[] };
const campaignsNamed = async (page: Page, name: string) =>
  (await apiAs<Campaigns>(page, 'GET', '/v1/campaigns')).body.campaigns.filter((c) => c.name === name);

test('a campaign composed in the console is test-sent, then sent now to its audience: its page counts sent 2, not sent 1, and charts its pace', async ({
  page,
}, testInfo) => {
  test.slow();
  const tag = `camp${Date.now().toString(36)}`;
  const consenting = [newPhone(), newPhone()];
  const withoutConsent = newPhone();
  const testPhone = newPhone();
  for (const phone of consenting) {
    await addMemberInApi(page, { phone, tags: [tag], marketingConsent: { source: '门店登记表' } });
  }
  await addMemberInApi(page, { phone: withoutConsent, tags: [tag] });
  const name = `周末拿铁${tag}`;
  const picks = await templateAndAudience(page, name, tag);

  await compose(page, name, picks);
  // Before it goes: three in the audience, two a marketing text reaches, one part each.
  await expect(estimate(page, '人群人数')).toContainText('3');
  await expect(estimate(page, '可收到营销短信')).toContainText('2');
  await expect(estimate(page, '预计收件人')).toContainText('2');
  await expect(estimate(page, '每条短信计费条数')).toContainText('1');
  await expect(estimate(page, '合计计费条数')).toContainText('2');
  await page.getByLabel('测试手机号').fill(testPhone);
  await page.getByLabel('测试手机号').press('Enter');
  await page.getByRole('button', { name: /发送测试短信/ }).click();
  await expect(page.getByText(/^测试短信已发送到/)).toBeVisible();
  await expect
    .poll(() => textsTo(page, testPhone), textArrives)
    .toEqual([expect.stringContaining(`${name}：本周拿铁第二杯半价`)]);
  await saveScreenshot(page, testInfo, 'composer-desktop');

  await page.getByRole('button', { name: '确认发送' }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9A-Z]{26}$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(figure(page, '目标人数')).toHaveText(/3$/, textArrives);
  await expect(figure(page, '已发送')).toHaveText(/2$/, textArrives);
  await expect(figure(page, '未发送')).toHaveText(/1$/);
  await expect(page.getByText('未同意接收营销短信: 1')).toBeVisible();
  await expect(page.getByText('已完成', { exact: true }).first()).toBeVisible(textArrives);
  const chart = page.getByRole('img', { name: /每分钟发送条数图/ });
  await expect.poll(() => paintedPixels(chart.locator('canvas'))).toBeGreaterThan(500);
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'campaign-desktop');

  // One campaign: the draft the test send made is the one scheduled.
  expect(await campaignsNamed(page, name)).toHaveLength(1);
  for (const phone of consenting) {
    expect((await textsTo(page, phone)).filter((text) => text.includes(name))).toHaveLength(1);
  }
  expect(await textsTo(page, withoutConsent)).toEqual([]);
  // The test phone got the test only.
  expect(await textsTo(page, testPhone)).toHaveLength(1);
});

test('a double click on schedule creates and schedules one campaign', async ({ page }) => {
  const tag = `dbl${Date.now().toString(36)}`;
  const name = `双击${tag}`;
  await compose(page, name, await templateAndAudience(page, name, tag));
  await page.getByRole('button', { name: '确认发送' }).dblclick();
  await expect(page).toHaveURL(/\/campaigns\/[0-9A-Z]{26}$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  const made = await campaignsNamed(page, name);
  expect(made).toHaveLength(1);
  expect(made[0]?.status).not.toBe('draft');
});

test('a recurring schedule shows its next five firings, and a cron that repeats too often its reason at the field', async ({
  page,
}) => {
  const tag = `cron${Date.now().toString(36)}`;
  const name = `每周${tag}`;
  await compose(page, name, await templateAndAudience(page, name, tag));
  await page.getByText('周期发送').click();
  const firings = page.getByRole('region', { name: '接下来五次发送' }).getByRole('listitem');
  await expect(firings).toHaveCount(5);
  await choose(page, page.getByRole('combobox', { name: '重复方式' }), '每周');
  await expect(page.getByText('0 10 ? * MON *')).toBeVisible();
  await expect(firings.first()).toContainText(/周一|星期一/);
  await choose(page, page.getByRole('combobox', { name: '重复方式' }), '自定义表达式');
  await page.getByRole('textbox', { name: '重复规则' }).fill('*/5 * * * ? *');
  await expect(page.getByText('it would repeat within 5 minutes; at most once an hour')).toBeVisible();
  await expect(firings).toHaveCount(0);
  await page.getByRole('button', { name: '确认发送' }).click();
  await expect(page).toHaveURL(/\/campaigns\/new$/);
  await page.getByRole('textbox', { name: '重复规则' }).fill('0 9 ? * SUN *');
  await expect(firings).toHaveCount(5);
  await page.getByRole('button', { name: '确认发送' }).click();
  await expect(page).toHaveURL(/\/campaigns\/[0-9A-Z]{26}$/);
  await expect(page.getByText('周期：0 9 ? * SUN *', { exact: false })).toBeVisible();
});

test('a scheduled campaign is paused, resumed and cancelled from its page', async ({ page }) => {
  const tag = `later${Date.now().toString(36)}`;
  const name = `下周活动${tag}`;
  const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
  const campaignId = await campaignInApi(page, name, tag, { kind: 'at', at: inAnHour });
  await page.goto(`/campaigns/${campaignId}`);
  const status = page.getByRole('main').getByText(/^(已排期|已暂停|已取消)$/);
  await expect(status).toHaveText('已排期');
  await page.getByRole('button', { name: '暂停' }).click();
  await expect(status).toHaveText('已暂停');
  await page.getByRole('button', { name: '继续' }).click();
  await expect(status).toHaveText('已排期');
  await page.getByRole('button', { name: '取消活动' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '取消活动' }).click();
  await expect(status).toHaveText('已取消');
  const after = await apiAs<{ campaign: { status: string } }>(page, 'GET', `/v1/campaigns/${campaignId}`);
  expect(after.body.campaign.status).toBe('cancelled');
  await expect(page.getByRole('button', { name: '继续' })).toHaveCount(0);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the campaigns and a campaign fit 390 px', async ({ page }, testInfo) => {
    const tag = `phone${Date.now().toString(36)}`;
    const campaignId = await campaignInApi(page, `手机看${tag}`, tag, {
      kind: 'at',
      at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await page.goto('/campaigns');
    await expect(page.getByRole('link', { name: `手机看${tag}` })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await page.goto(`/campaigns/${campaignId}`);
    await expect(figure(page, '目标人数')).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'campaign-phone');
  });

  test('the composer fits 390 px', async ({ page }, testInfo) => {
    const tag = `phonec${Date.now().toString(36)}`;
    await compose(page, `手机建${tag}`, await templateAndAudience(page, `手机建${tag}`, tag));
    await page.getByText('周期发送').click();
    await expect(page.getByRole('region', { name: '接下来五次发送' }).getByRole('listitem')).toHaveCount(5);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'composer-phone');
  });
});
