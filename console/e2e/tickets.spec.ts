import type { Page } from '@playwright/test';
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
import { textShop, textsTo } from './sms';

test.beforeEach(({ page }) => signedInAs(page, 'marketing'));

type Ticket = { ticketId: string; message: string; status: string; answers: { text: string }[] };

/** The ticket the phone's text opened, once the inbound function has handled it. */
async function ticketOf(page: Page, from: string): Promise<Ticket> {
  let found: Ticket | undefined;
  await expect
    .poll(async () => {
      const { body } = await apiAs<{ tickets: (Ticket & { phone: string })[] }>(
        page,
        'GET',
        '/v1/tickets?limit=50',
      );
      found = body.tickets.find((ticket) => ticket.phone === from);
      return found !== undefined;
    })
    .toBe(true);
  return found as Ticket;
}

const openCount = async (page: Page) =>
  (await apiAs<{ counts: { open: number } }>(page, 'GET', '/v1/tickets/counts')).body.counts.open;

test('a ticket texted in is answered once from the inbox, however often the answer is clicked, then closed', async ({
  page,
}, testInfo) => {
  const member = newPhone();
  await textShop(page, member, '反馈 周末排队太久了');
  const ticket = await ticketOf(page, member);

  await page.goto('/tickets');
  // The menu counts the tickets waiting for an answer, as the API does.
  const menu = page.getByRole('menu');
  await expect
    .poll(async () => {
      await page.reload();
      const shown = await menu.getByRole('status').getAttribute('aria-label');
      return shown === `${await openCount(page)} 张待回复`;
    })
    .toBe(true);
  await expect(page.getByRole('tab', { name: '待回复', selected: true })).toBeVisible();
  await page.getByRole('link', { name: `打开工单 ${ticket.ticketId}`, exact: true }).click();
  await expect(page.getByRole('heading', { name: `工单 #${ticket.ticketId}` })).toBeVisible();
  await expect(page.getByRole('log', { name: '对话' })).toContainText('反馈 周末排队太久了');
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'ticket-desktop');

  await page.getByRole('main').getByRole('button', { name: '回复' }).click();
  const answer = '感谢反馈，周末已加开一个收银台。';
  await page.getByLabel('回复内容').fill(answer);
  await page.getByRole('button', { name: '发送回复' }).dblclick();
  await expect(page.getByRole('log', { name: '对话' })).toContainText(answer);
  await expect(page.getByText('已回复', { exact: true })).toBeVisible();
  const answered = (await apiAs<{ ticket: Ticket }>(page, 'GET', `/v1/tickets/${ticket.ticketId}`)).body
    .ticket;
  expect(answered).toMatchObject({ status: 'answered', answers: [{ text: answer }] });
  await expect
    .poll(() => textsTo(page, member))
    .toEqual([expect.any(String), `【示例商户】（回复您的编号${ticket.ticketId}）${answer}`]);

  await page.getByRole('button', { name: '关闭工单' }).click();
  await page.getByRole('tooltip').getByRole('button', { name: '关闭工单' }).click();
  await expect(page.getByText('已关闭', { exact: true })).toBeVisible();
  await expect(page.getByRole('main').getByRole('button', { name: '回复' })).toHaveCount(0);
  const closed = (await apiAs<{ ticket: Ticket }>(page, 'GET', `/v1/tickets/${ticket.ticketId}`)).body.ticket;
  expect(closed.status).toBe('closed');
  await page.getByRole('link', { name: '工单' }).first().click();
  await page.getByRole('tab', { name: '已关闭' }).click();
  await expect(page.getByRole('link', { name: `打开工单 ${ticket.ticketId}`, exact: true })).toBeVisible();
  await saveScreenshot(page, testInfo, 'tickets-desktop');
});

test('an empty answer is refused at the field', async ({ page }) => {
  const member = newPhone();
  await textShop(page, member, '建议 周末营业到十点');
  const ticket = await ticketOf(page, member);
  await page.goto(`/tickets/${ticket.ticketId}`);
  await page.getByRole('main').getByRole('button', { name: '回复' }).click();
  await page.getByLabel('回复内容').fill('   ');
  await page.getByRole('button', { name: '发送回复' }).click();
  await expect(page.getByText('请写下回复内容')).toBeVisible();
  expect(
    (await apiAs<{ ticket: Ticket }>(page, 'GET', `/v1/tickets/${ticket.ticketId}`)).body.ticket.answers,
  ).toEqual([]);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the inbox and a ticket fit 390 px', async ({ page }, testInfo) => {
    const member = newPhone();
    await textShop(page, member, '投诉 你们的短信太多了，而且每次都在半夜发过来');
    const ticket = await ticketOf(page, member);
    await page.goto('/tickets');
    await expect(page.getByRole('link', { name: `打开工单 ${ticket.ticketId}`, exact: true })).toBeVisible();
    // The menu is folded away on a phone: its button says tickets are waiting.
    await expect(page.getByRole('button', { name: /^打开菜单 · \d+ 张待回复$/ })).toBeVisible();
    await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'tickets-phone');
    await page.getByRole('link', { name: `打开工单 ${ticket.ticketId}`, exact: true }).click();
    await page.getByRole('main').getByRole('button', { name: '回复' }).click();
    await expect(page.getByLabel('回复内容')).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'ticket-phone');
  });
});
