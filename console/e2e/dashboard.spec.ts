import { apiAs } from './api';
import { paintedPixels } from './chart';
import { expect, signedInAs, test } from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'owner'));

type Day = { date: string; joins: number; optOuts: number; texts: number; costFen: number };

const yuan = (fen: number) =>
  new Intl.NumberFormat('zh-CN', { style: 'currency', currency: 'CNY' }).format(fen / 100);
const sum = (days: Day[], figure: 'joins' | 'optOuts' | 'texts' | 'costFen') =>
  Math.round(days.reduce((total, day) => total + day[figure], 0) * 10) / 10;

test('the dashboard shows the figures GET /v1/stats/daily and /v1/stats/now answer', async ({ page }) => {
  // Something to count: a member joins (counted a moment later, from the event).
  const phone = `+86136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
  expect((await apiAs(page, 'POST', '/v1/members', { phone })).status).toBe(201);
  const daily = async (query = '') =>
    (await apiAs<{ days: Day[] }>(page, 'GET', `/v1/stats/daily${query}`)).body.days;
  const read = async () => {
    const days = await daily();
    const today = days.at(-1)?.date ?? '';
    // The month up to today, asked for on its own: on the 31st it starts before the last 30 days.
    const month = await daily(`?from=${today.slice(0, 8)}01&to=${today}`);
    const now = await apiAs<{ stats: { members: number; openTickets: number; runningCampaigns: number } }>(
      page,
      'GET',
      '/v1/stats/now',
    );
    return { days, month, now: now.body.stats };
  };
  await expect.poll(async () => (await read()).days.at(-1)?.joins).toBeGreaterThan(0);

  // Other tests text sign-in codes meanwhile: compare with the API read on both sides of the page's read.
  await expect(async () => {
    const before = await read();
    await page.goto('/dashboard');
    await expect(page.getByRole('region', { name: '会员' })).toBeVisible();
    const shown = await page.getByRole('region').allInnerTexts();
    const after = await read();
    expect(after).toEqual(before);
    const { days, month, now } = after;
    const today = days.slice(-1);
    const monday = new Date(`${today[0]?.date}T00:00:00Z`);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    const week = days.filter((day) => day.date >= monday.toISOString().slice(0, 10));
    expect(shown.map((text) => text.replace(/\s+/g, ' ').trim())).toEqual([
      `会员 ${now.members} 本周新增 ${sum(week, 'joins')}`,
      `本月退订 ${sum(month, 'optOuts')} 今日 ${sum(today, 'optOuts')}`,
      `今日短信 ${sum(today, 'texts')} 费用 ${yuan(sum(today, 'costFen'))}`,
      `本月短信 ${sum(month, 'texts')} 费用 ${yuan(sum(month, 'costFen'))}`,
      `待处理工单 ${now.openTickets}`,
      `发送中的活动 ${now.runningCampaigns}`,
    ]);
  }).toPass({ timeout: 30_000 });
  const chart = page.getByRole('img', { name: '近 30 天每天的新会员、短信与退订' });
  await expect.poll(() => paintedPixels(chart.locator('canvas'))).toBeGreaterThan(1000);
});
