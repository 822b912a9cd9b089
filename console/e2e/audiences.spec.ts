import type { Locator, Page } from '@playwright/test';
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

/** Picks an option of an antd select, typed to find it in a long list: the open list is the one visible. */
async function pick(page: Page, select: Locator, option: string) {
  await select.click();
  await select.fill(option);
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
}

/** Sets a condition row: its field, then its value typed into the one value box. */
async function setCondition(page: Page, row: Locator, field: string, value: string) {
  await pick(page, row.getByLabel('字段'), field);
  await row.getByLabel('值').fill(value);
}

type Saved = { audiences: { audienceId: string; name: string; definition: unknown }[] };

test('an audience built with OR and NOT counts what POST /v1/audiences/preview counts, and a double click saves it once', async ({
  page,
}, testInfo) => {
  // Four members, a tree of three conditions built by hand, and a save: longer than most tests.
  test.slow();
  const tag = `aud${Date.now().toString(36)}`;
  const other = `${tag}b`;
  // Three members have one of the two tags and live outside Shanghai; a fourth has a tag but lives there.
  for (const member of [
    { tags: [tag], city: '杭州' },
    { tags: [other], city: '苏州' },
    { tags: [tag, other] },
    { tags: [tag], city: '上海' },
  ]) {
    await addMemberInApi(page, { phone: newPhone(), ...member });
  }
  const name = `杭州咖啡客${tag}`;

  await page.goto('/audiences');
  await page.getByRole('button', { name: '新建人群' }).click();
  await page.getByLabel('人群名称').fill(name);
  const conditions = page.getByRole('group', { name: '条件', exact: true });
  // The first condition: not in Shanghai.
  await setCondition(page, conditions.nth(0), '城市', '上海');
  await conditions.nth(0).getByRole('checkbox', { name: '不' }).check();
  // A group of either tag.
  await page.getByRole('button', { name: '添加条件组' }).click();
  const group = page.getByRole('group', { name: '条件组' }).nth(1);
  await expect(group.getByRole('radio', { name: '满足任一' })).toBeChecked();
  await group.getByRole('button', { name: /添加条件$/ }).click();
  await group.getByRole('button', { name: /添加条件$/ }).click();
  await setCondition(page, conditions.nth(1), '标签', tag);
  await setCondition(page, conditions.nth(2), '标签', other);

  const definition = {
    and: [
      { not: { field: 'city', op: 'eq', value: '上海' } },
      {
        or: [
          { field: 'tags', op: 'contains', value: tag },
          { field: 'tags', op: 'contains', value: other },
        ],
      },
    ],
  };
  const preview = await apiAs<{ preview: { count: number } }>(page, 'POST', '/v1/audiences/preview', {
    definition,
  });
  expect(preview.body.preview.count).toBe(3);
  await expect(page.getByRole('status', { name: '符合条件的会员' })).toHaveText(/符合条件的会员\s*3$/);
  await expect(page.getByRole('main').getByRole('table').last()).toContainText('+86136');
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'audience-builder-desktop');

  await page.getByRole('button', { name: '保存人群' }).dblclick();
  await expect(page.getByText('人群已保存').first()).toBeVisible();
  await expect(page).toHaveURL(/\/audiences\/[0-9A-Z]{26}$/);
  const saved = (await apiAs<Saved>(page, 'GET', '/v1/audiences?limit=100')).body.audiences.filter(
    (audience) => audience.name === name,
  );
  expect(saved).toHaveLength(1);
  expect(saved[0]?.definition).toEqual(definition);

  // Opened again from the list, it is the audience as built.
  await page.goto('/audiences');
  await page.getByRole('link', { name }).click();
  await expect(page.getByLabel('人群名称')).toHaveValue(name);
  await expect(conditions.nth(0).getByRole('checkbox', { name: '不' })).toBeChecked();
  await expect(conditions.nth(2).getByLabel('值')).toHaveValue(other);
  await expect(page.getByRole('status', { name: '符合条件的会员' })).toHaveText(/符合条件的会员\s*3$/);
});

test('a condition the API refuses shows its reason at that condition, and nothing is saved', async ({
  page,
}) => {
  await page.goto('/audiences/new');
  await page.getByLabel('人群名称').fill('坏属性');
  const row = page.getByRole('group', { name: '条件', exact: true }).first();
  await pick(page, row.getByLabel('字段'), '自定义属性');
  await row.getByLabel('自定义属性名').fill('会员 等级');
  await row.getByLabel('值').fill('3');
  await expect(row.getByRole('alert')).toContainText('unknown field "attributes.会员 等级"');
  const before = (await apiAs<Saved>(page, 'GET', '/v1/audiences?limit=100')).body.audiences.length;
  await page.getByRole('button', { name: '保存人群' }).click();
  await expect(row.getByRole('alert')).toContainText('unknown field');
  expect((await apiAs<Saved>(page, 'GET', '/v1/audiences?limit=100')).body.audiences.length).toBe(before);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the builder and its count fit 390 px', async ({ page }, testInfo) => {
    await page.goto('/audiences/new');
    const row = page.getByRole('group', { name: '条件', exact: true }).first();
    await pick(page, row.getByLabel('字段'), '积分');
    await row.getByLabel('值').fill('0');
    await expect(page.getByRole('status', { name: '符合条件的会员' })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'audience-builder-phone');
  });
});
