import type { Page } from '@playwright/test';
import { sampleValues } from '../src/features/templates/placeholders';
import { apiAs } from './api';
import { expect, expectNoSidewaysScroll, phone, saveScreenshot, signedInAs, test } from './fixtures';

type Template = {
  templateId: string;
  name: string;
  body: string;
  category: string;
  registration?: { status: string; providerTemplateId: string };
};
type Preview = { text: string; length: number; parts: number; encoding: string; costPerRecipientFen: number };

test.beforeEach(({ page }) => signedInAs(page, 'marketing'));

/** Every template of the shop named `name`, as the API has them. */
async function templatesNamed(page: Page, name: string): Promise<Template[]> {
  const templates: Template[] = [];
  let cursor: string | undefined;
  do {
    const answer = await apiAs<{ templates: Template[]; cursor?: string }>(
      page,
      'GET',
      `/v1/templates?limit=50${cursor ? `&cursor=${cursor}` : ''}`,
    );
    templates.push(...answer.body.templates);
    cursor = answer.body.cursor;
  } while (cursor);
  return templates.filter((template) => template.name === name);
}

const uniqueName = (stem: string) => `${stem}${Math.floor(Math.random() * 1e6)}`;

/** The preview card's text once the API has answered for what was typed. */
const previewText = (page: Page) => page.getByRole('figure', { name: '短信预览' });

test('a template written with the field picker previews as the API renders it, and a double click saves it once', async ({
  page,
}, testInfo) => {
  const name = uniqueName('周末促销');
  await page.goto('/templates');
  await page.getByRole('button', { name: '新建模板' }).click();
  await expect(page).toHaveURL(/\/templates\/new$/);
  await page.getByLabel('名称').fill(name);
  await page.getByRole('button', { name: '姓名', exact: true }).click();
  await page.getByLabel('内容').pressSequentially('，周末全场8折，凭积分');
  await page.getByRole('button', { name: '积分', exact: true }).click();
  await page.getByLabel('内容').press('End');
  await page.getByLabel('内容').pressSequentially('可抵现');
  const body = '{{name}}，周末全场8折，凭积分{{points}}可抵现';
  await expect(page.getByLabel('内容')).toHaveValue(body);

  const expected = await apiAs<{ preview: Preview }>(page, 'POST', '/v1/templates/preview', {
    body,
    category: 'marketing',
    values: sampleValues,
  });
  expect(expected.status).toBe(200);
  const { preview } = expected.body;
  expect(preview.text).toContain('张三，周末全场8折，凭积分1280可抵现');
  await expect(previewText(page)).toHaveText(preview.text);
  const card = page.getByRole('region', { name: '会员收到的短信' });
  await expect(card.getByText(String(preview.length), { exact: true })).toBeVisible();
  await expect(card.getByText(String(preview.parts), { exact: true })).toBeVisible();
  await expect(card.getByText(`${preview.costPerRecipientFen} 分`, { exact: true })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'template-editor-desktop');

  await page.getByRole('button', { name: '保存' }).dblclick();
  await expect(page).toHaveURL(/\/templates\/[0-9A-Z]{26}$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  const saved = await templatesNamed(page, name);
  expect(saved.map(({ body: text, category }) => ({ body: text, category }))).toEqual([
    { body, category: 'marketing' },
  ]);
  await page.getByRole('link', { name: '返回模板列表' }).click();
  await expect(page.getByRole('link', { name })).toBeVisible();
});

test('refuses an unknown field and a text over 500 characters at the text, and saves nothing', async ({
  page,
}) => {
  const name = uniqueName('错误模板');
  await page.goto('/templates/new');
  await page.getByLabel('名称').fill(name);
  const field = page.getByLabel('内容');
  await field.fill('{{nickname}}，您好');
  const unknown = await apiAs<{ error: { issues: { path: string; message: string }[] } }>(
    page,
    'POST',
    '/v1/templates/preview',
    { body: '{{nickname}}，您好', category: 'marketing' },
  );
  expect(unknown.status).toBe(400);
  const reason = unknown.body.error.issues.find((issue) => issue.path === 'body')?.message ?? '';
  expect(reason).not.toBe('');
  await expect(page.getByText(reason)).toBeVisible();

  await field.fill('满'.repeat(501));
  await expect(page.getByText(/500/).first()).toBeVisible();
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page).toHaveURL(/\/templates\/new$/);
  await field.fill('');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('写下短信内容')).toBeVisible();
  expect(await templatesNamed(page, name)).toEqual([]);
});

test('records the provider’s approval, and a new text puts it back under review', async ({ page }) => {
  const name = uniqueName('积分提醒');
  const created = await apiAs<{ template: Template }>(page, 'POST', '/v1/templates', {
    name,
    body: '{{name}}，您有{{expiring_points}}积分将于{{expiry_date}}到期',
    category: 'service',
  });
  expect(created.status).toBe(201);
  const { templateId } = created.body.template;
  await page.goto(`/templates/${templateId}`);
  await expect(page.getByText('未报备').first()).toBeVisible();
  await page.getByLabel('服务商模板 ID').fill('SMS_270001');
  await page.getByLabel('签名').fill('【示例商户】');
  await page.getByLabel('审核结果').click();
  await page.getByTitle('已通过').click();
  await page.getByRole('button', { name: '保存报备' }).click();
  await expect(page.getByText('已通过').first()).toBeVisible();
  expect(
    (await apiAs<{ template: Template }>(page, 'GET', `/v1/templates/${templateId}`)).body.template,
  ).toMatchObject({ registration: { status: 'approved', providerTemplateId: 'SMS_270001' } });

  await page.getByLabel('内容').fill('{{name}}，您的积分{{points}}，月底到期');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  // Exactly the status: the note under the text says a change puts it back to “审核中” before any save.
  await expect(page.getByText('审核中', { exact: true }).first()).toBeVisible();
  const changed = (await apiAs<{ template: Template }>(page, 'GET', `/v1/templates/${templateId}`)).body
    .template;
  expect(changed.registration).toMatchObject({ status: 'pending', providerTemplateId: 'SMS_270001' });
  expect(changed.body).toBe('{{name}}，您的积分{{points}}，月底到期');
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the editor and its preview fit a 390 px phone', async ({ page }, testInfo) => {
    await page.goto('/templates/new');
    await page.getByLabel('名称').fill(uniqueName('手机'));
    await page.getByLabel('内容').fill('{{name}}，您好，本周会员日全场9折');
    await expect(previewText(page)).toContainText('张三，您好，本周会员日全场9折');
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'template-editor-phone');
  });
});
