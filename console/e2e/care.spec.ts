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
} from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'marketing'));
// One after another: each sets the shop's care settings the others read.
test.describe.configure({ mode: 'default' });

type Festivals = {
  today: string;
  festivals: { code: string; name: { zh: string }; calendar: string; dates: { date: string }[] }[];
};
type CalendarAnswer = {
  preview: { from: string; days: { date: string; occasions: { occasion: string; count: number }[] }[] };
};

const dayMs = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / dayMs);
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

/**
 * The next lunar festival from the shop's today, by the API's calendar (the care job's), and the
 * first day of the 30-day page of the care calendar that holds it: the runtime runs on the real
 * clock, so the festival may be more than 30 days away (on 7 December, 腊八 is 39 days off).
 */
async function nextLunarFestival(page: Page) {
  const {
    body: { festivalCalendar: body },
  } = await apiAs<{ festivalCalendar: Festivals }>(page, 'GET', '/v1/care/festivals');
  const [next] = body.festivals
    .filter((festival) => festival.calendar === 'lunar')
    .flatMap((festival) => festival.dates.map(({ date }) => ({ ...festival, date })))
    .filter(({ date }) => date >= body.today)
    .sort((a, b) => a.date.localeCompare(b.date));
  if (!next) throw new Error('no lunar festival this year or next');
  const pages = Math.floor(daysBetween(body.today, next.date) / 30);
  return { ...next, name: next.name.zh, today: body.today, pages, from: addDays(body.today, pages * 30) };
}

/** Starts from known care settings: set up, with no greeting on. */
async function resetCare(page: Page): Promise<void> {
  expect((await apiAs(page, 'PUT', '/v1/care/settings', {})).status).toBe(200);
}

/** Two members who agreed to marketing, with a tag of this test's own, so the counts are its alone. */
async function taggedMembers(page: Page): Promise<{ tag: string; phones: string[] }> {
  const tag = `care-${Math.floor(Math.random() * 1e8)}`;
  const phones = [newPhone(), newPhone()];
  for (const [i, phoneNumber] of phones.entries()) {
    await addMemberInApi(page, {
      phone: phoneNumber,
      name: `关怀${i + 1}`,
      tags: [tag],
      marketingConsent: { source: 'signed the paper form at the till' },
    });
  }
  return { tag, phones };
}

/**
 * A dry run of 30 days walks the members for each festival day: on a loaded machine the calendar
 * of a changed draft can take longer than an expectation's default to come.
 */
const dryRun = { timeout: 30_000 };

const dayCell = (page: Page, date: string) => page.getByRole('button', { name: new RegExp(`^${date}：`) });

test('a lunar festival greeting shows on the day the dry run gives, as a draft before it is saved', async ({
  page,
}, testInfo) => {
  test.slow();
  await resetCare(page);
  const festival = await nextLunarFestival(page);
  const { tag, phones } = await taggedMembers(page);
  const template = '{{festival}}到了，{{name}}，来店里喝碗热粥';

  await page.goto('/care');
  await expect(page.getByText('日历按已保存的设置预览')).toBeVisible();
  await page.getByRole('switch', { name: festival.name }).click();
  await page.getByLabel(`${festival.name}短信`).fill(template);
  const tags = page.getByLabel('只发给带这些标签的会员');
  await tags.fill(tag);
  await tags.press('Enter');
  await expect(page.getByText('未保存：日历预览的是改动后的设置')).toBeVisible();
  for (let i = 0; i < festival.pages; i++) await page.getByRole('button', { name: '后 30 天' }).click();
  await expect(page.getByText(`${festival.from} 至 ${addDays(festival.from, 29)}`)).toBeVisible();

  // The calendar's count for the day is the dry run's for the same draft …
  const draft = {
    festivals: [{ code: festival.code, template, audience: { tags: [tag] } }],
  };
  const asked = await apiAs<CalendarAnswer>(page, 'POST', '/v1/care/preview', {
    settings: draft,
    from: festival.from,
  });
  expect(asked.status).toBe(200);
  const counted = asked.body.preview.days
    .find((day) => day.date === festival.date)
    ?.occasions.find((occasion) => occasion.occasion === `festival:${festival.code}`)?.count;
  expect(counted).toBe(2);
  const cell = dayCell(page, festival.date);
  await expect(cell).toHaveAccessibleName(`${festival.date}：${festival.name} ${counted}`, dryRun);
  await expect(cell).toContainText(`${festival.name} ${counted}`);

  // … and the draft is not saved until the save button is pressed.
  const before = await apiAs<{ care: { festivals: unknown[] } }>(page, 'GET', '/v1/care/settings');
  expect(before.body.care.festivals).toEqual([]);

  await cell.click();
  const drawer = page.getByRole('dialog', { name: `${festival.date} 的关怀短信` });
  for (const [i, phoneNumber] of phones.entries()) {
    const item = drawer.getByRole('listitem').filter({ hasText: phoneNumber });
    await expect(item).toContainText(`${festival.name}到了，关怀${i + 1}，来店里喝碗热粥`, dryRun);
  }
  await expect(drawer.getByRole('listitem')).toHaveCount(2, dryRun);
  await saveScreenshot(page, testInfo, 'care-day-desktop');
  await drawer.getByRole('button', { name: /Close|关闭/ }).click();

  // Saved with a double click: one PUT, no refusal, and the saved day's dry run has the same count.
  const puts: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'PUT' && request.url().endsWith('/v1/care/settings')) puts.push(request.url());
  });
  await page.getByRole('button', { name: /保存/ }).dblclick();
  await expect(page.getByText('已保存，关怀短信按新设置发送')).toBeVisible();
  await expect(page.getByText('日历按已保存的设置预览')).toBeVisible();
  expect(puts).toHaveLength(1);
  const saved = await apiAs<{ care: { festivals: unknown[] } }>(page, 'GET', '/v1/care/settings');
  expect(saved.body.care.festivals).toEqual(draft.festivals);
  const day = await apiAs<{ preview: { texts: { occasion: string; skipped?: string }[] } }>(
    page,
    'GET',
    `/v1/care/preview?date=${festival.date}`,
  );
  const greetings = day.body.preview.texts.filter(
    (text) => text.occasion === `festival:${festival.code}` && !text.skipped,
  );
  expect(greetings).toHaveLength(counted ?? -1);
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'care-desktop');
});

test('a template the API refuses is shown at its field, in the preview and on save', async ({
  page,
}, testInfo) => {
  test.slow();
  await resetCare(page);
  await page.goto('/care');
  await page.getByRole('switch', { name: '生日问候' }).click();
  await page.getByLabel('生日当天的短信').fill('生日快乐 {{nmae}}');
  const refused = page.getByText(/unknown variable \{\{nmae\}\}/).first();
  await expect(refused).toBeVisible(dryRun);
  await expect(page.getByText('改动后的设置有问题，日历未更新').first()).toBeVisible(dryRun);
  await page.getByRole('button', { name: /保存/ }).click();
  await expect(refused).toBeVisible();
  await saveScreenshot(page, testInfo, 'care-refused-desktop');
  const care = await apiAs<{ care: { birthday?: unknown } }>(page, 'GET', '/v1/care/settings');
  expect(care.body.care.birthday).toBeUndefined();

  // Mended, the text is previewed again and the refusals go.
  await page.getByLabel('生日当天的短信').fill('生日快乐 {{name}}');
  await expect(page.getByText(/unknown variable/)).toHaveCount(0, dryRun);
  await expect(page.getByText('改动后的设置有问题，日历未更新')).toHaveCount(0, dryRun);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the care page and a day of its calendar fit a 390 px phone', async ({ page }, testInfo) => {
    test.slow();
    await resetCare(page);
    const festival = await nextLunarFestival(page);
    const { tag } = await taggedMembers(page);
    expect(
      (
        await apiAs(page, 'PUT', '/v1/care/settings', {
          festivals: [{ code: festival.code, template: '{{festival}}快乐！', audience: { tags: [tag] } }],
        })
      ).status,
    ).toBe(200);
    await page.goto('/care');
    await expect(page.getByText('日历按已保存的设置预览')).toBeVisible();
    for (let i = 0; i < festival.pages; i++) await page.getByRole('button', { name: '后 30 天' }).click();
    const cell = dayCell(page, festival.date);
    await expect(cell).toHaveAccessibleName(`${festival.date}：${festival.name} 2`, dryRun);
    await expectNoSidewaysScroll(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await saveScreenshot(page, testInfo, 'care-phone');
    await cell.click();
    const drawer = page.getByRole('dialog', { name: `${festival.date} 的关怀短信` });
    await expect(drawer.getByRole('listitem')).toHaveCount(2, dryRun);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'care-day-phone');
  });
});
