import { apiAs } from './api';
import { paintedPixels } from './chart';
import { expect, expectNoSidewaysScroll, phone, saveScreenshot, signedInAs, test } from './fixtures';
import { historyCohorts, historyRuleName } from './retention-history';

// Charts draw at once instead of growing in, so what is checked and shot is the final picture.
test.use({ contextOptions: { reducedMotion: 'reduce' } });
test.beforeEach(({ page }) => signedInAs(page, 'marketing'));

type RuleReport = {
  name: string;
  liftPoints: number | null;
  liftInterval: { low: number; high: number } | null;
};
const signed = (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n).toFixed(1)}`;

test("the zones now and 30 days ago, their changes, and a rule's difference with its 95% interval", async ({
  page,
}, testInfo) => {
  // A chart drawn, several tables read and the whole page shot: longer than most tests on a busy machine.
  test.slow();
  await page.goto('/retention');
  const chart = page.getByRole('img', { name: '各预警区的会员数：最近一次评分与 30 天前' });
  await expect.poll(() => paintedPixels(chart.locator('canvas'))).toBeGreaterThan(1000);
  for (const zone of ['绿区', '蓝区', '黄区', '红区', '白区']) {
    await expect(page.getByRole('cell', { name: zone, exact: true }).first()).toBeVisible();
  }
  // Mid-month's changes (written by the setup) and the first scores of the real run.
  const transitions = page.getByRole('table').filter({ hasText: '原区 → 新区' });
  await expect(transitions.getByRole('row', { name: /首次评分/ })).toBeVisible();
  await expect(transitions.getByRole('row', { name: /^蓝区/ }).getByRole('cell')).toHaveText([
    '蓝区',
    '2',
    '·',
    '4',
    '·',
    '·',
  ]);

  const report = await apiAs<{ report: { rules: RuleReport[] } }>(page, 'GET', '/v1/retention/report');
  const rule = report.body.report.rules.find((r) => r.name === historyRuleName);
  const { treated, treatedRetained, holdout, holdoutRetained } = historyCohorts;
  expect(rule?.liftPoints).toBe(40);
  const interval = rule?.liftInterval;
  if (!interval) throw new Error('the report gave no interval');
  expect(interval.low).toBeGreaterThan(0);
  expect(interval.high).toBeGreaterThan(40);
  const row = page.getByRole('row', { name: new RegExp(historyRuleName) });
  await expect(row).toContainText(`${treatedRetained}/${treated}`);
  await expect(row).toContainText(`${holdoutRetained}/${holdout}`);
  await expect(row).toContainText('+40.0 个百分点');
  await expect(row).toContainText(`95% 区间：${signed(interval.low)} 至 ${signed(interval.high)}`);
  await expect(row).toContainText('效果明确');
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'retention-desktop');
});

test('a rule is created with its template and points, and stopped, confirmed first', async ({ page }) => {
  test.slow();
  const name = `黄区关怀${Date.now().toString(36)}`;
  const template = await apiAs<{ template: { templateId: string } }>(page, 'POST', '/v1/templates', {
    name,
    body: '{{name}}，好久不见，送您50积分',
    category: 'marketing',
  });
  expect(template.status).toBe(201);
  await page.goto('/retention');
  await page.getByRole('button', { name: /新建规则/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('规则名称').fill(name);
  await dialog.getByText('黄区', { exact: true }).click();
  const select = dialog.getByLabel('发送的短信模板');
  await select.fill(name);
  await page.locator('.ant-select-dropdown:visible').getByTitle(name).click();
  await dialog.getByText('积分', { exact: true }).click();
  await dialog.getByLabel('赠送积分').fill('50');
  await dialog.getByRole('button', { name: /保存规则/ }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('生效中');
  await expect(row).toContainText('对照比例 10%');
  const rules = await apiAs<{ rules: { ruleId: string; name: string; status: string }[] }>(
    page,
    'GET',
    '/v1/retention/rules',
  );
  const saved = rules.body.rules.find((r) => r.name === name);
  expect(saved).toMatchObject({
    zone: 'yellow',
    templateId: template.body.template.templateId,
    grant: { kind: 'points', points: 50 },
    holdoutPercent: 10,
    status: 'active',
  });

  await row.getByRole('button', { name: /停止/ }).click();
  await page.getByRole('tooltip').getByRole('button', { name: /停止/ }).click();
  await expect(row).toContainText('已停止');
  const after = await apiAs<{ rule: { status: string } }>(
    page,
    'GET',
    `/v1/retention/rules/${saved?.ruleId}`,
  );
  expect(after.body.rule.status).toBe('stopped');
});

test('a scoring run started from the page is listed; a second while it is pending is refused with the reason', async ({
  page,
}) => {
  await page.goto('/retention');
  const runs = page.getByRole('table').filter({ hasText: '已评分会员' });
  await expect(runs.getByRole('row', { name: /手动/ })).toHaveCount(1);
  await page.getByRole('button', { name: /立即评分/ }).click();
  await expect(runs.getByRole('row', { name: /手动/ })).toHaveCount(2);
  const listed = await apiAs<{ runs: { trigger: string; status: string }[] }>(
    page,
    'GET',
    '/v1/retention/runs',
  );
  expect(listed.body.runs.filter((run) => run.trigger === 'manual')).toHaveLength(2);
  if (listed.body.runs[0]?.status !== 'done') {
    await page.getByRole('button', { name: /立即评分/ }).click();
    await expect(page.getByText('没有开始评分')).toBeVisible();
    await expect(page.getByText(/ask again when it is done/)).toBeVisible();
  }
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the retention page fits 390 px', async ({ page }, testInfo) => {
    await page.goto('/retention');
    await expect(page.getByRole('row', { name: new RegExp(historyRuleName) })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'retention-phone');
  });
});
