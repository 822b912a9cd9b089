import type { Page } from '@playwright/test';
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
  textArrives,
} from './fixtures';

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

test("a campaign's page follows it as it sends: sent 2, not sent 1 for want of consent", async ({
  page,
}, testInfo) => {
  test.slow();
  const tag = `camp${Date.now().toString(36)}`;
  const consenting = [newPhone(), newPhone()];
  const withoutConsent = newPhone();
  for (const phone of consenting) {
    await addMemberInApi(page, { phone, tags: [tag], marketingConsent: { source: '门店登记表' } });
  }
  await addMemberInApi(page, { phone: withoutConsent, tags: [tag] });
  const name = `周末拿铁${tag}`;
  await campaignInApi(page, name, tag, { kind: 'now' });

  await page.goto('/campaigns');
  await page.getByRole('link', { name }).click();
  await expect(figure(page, '目标人数')).toHaveText(/3$/, textArrives);
  await expect(figure(page, '已发送')).toHaveText(/2$/, textArrives);
  await expect(figure(page, '未发送')).toHaveText(/1$/);
  await expect(page.getByText('未同意接收营销短信: 1')).toBeVisible();
  await expect(page.getByText('已完成', { exact: true }).first()).toBeVisible(textArrives);
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'campaign-desktop');

  for (const phone of consenting) {
    const outbox = await apiAs<{ messages: { body: string }[] }>(
      page,
      'GET',
      `/local/sms/outbox?phone=${encodeURIComponent(phone)}`,
    );
    expect(outbox.body.messages.filter((m) => m.body.includes(name))).toHaveLength(1);
  }
  const none = await apiAs<{ messages: { body: string }[] }>(
    page,
    'GET',
    `/local/sms/outbox?phone=${encodeURIComponent(withoutConsent)}`,
  );
  expect(none.body.messages).toEqual([]);
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
});
