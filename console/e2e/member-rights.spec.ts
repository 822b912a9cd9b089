import {
  addMemberInApi,
  expect,
  expectNoSidewaysScroll,
  newPhone,
  phone as phoneScreen,
  saveScreenshot,
  signedInAs,
  test,
} from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'owner'));

const profilePath = (phone: string) => `/members/${encodeURIComponent(phone)}`;

/** A member with a name, consent and points: something to export and erase. */
async function memberWithData(page: import('@playwright/test').Page): Promise<string> {
  const phone = newPhone();
  await addMemberInApi(page, {
    phone,
    name: '宋清照',
    city: '苏州',
    marketingConsent: { source: '门店纸质表单' },
  });
  const earned = await page.request.post(`/v1/members/${encodeURIComponent(phone)}/points`, {
    data: { points: 30 },
    headers: { 'x-mcrm-csrf': '1', 'idempotency-key': `rights-${phone.slice(1)}` },
  });
  expect(earned.status()).toBe(201);
  return phone;
}

test('exports a member’s personal data as a JSON file, then erases it once the phone is typed again', async ({
  page,
}, testInfo) => {
  const phone = await memberWithData(page);
  await page.goto(profilePath(phone));
  await expect(page.getByText('宋清照')).toBeVisible();

  // The file is the API's document as it came: read from the answer (these tests have no file system types).
  const [download, answer] = await Promise.all([
    page.waitForEvent('download'),
    page.waitForResponse((response) => response.url().includes('/export')),
    page.getByRole('button', { name: '导出个人信息' }).click(),
  ]);
  const copy = ((await answer.json()) as { export: unknown }).export;
  expect(copy).toMatchObject({
    phone,
    member: { name: '宋清照', city: '苏州', points: 30 },
    ledger: [{ delta: 30 }],
    consent: { records: [{ status: 'subscribed', source: '门店纸质表单' }] },
  });
  expect(download.suggestedFilename()).toMatch(/^member-\d{11}-\d{4}-\d{2}-\d{2}\.json$/);

  await page.getByRole('button', { name: '删除个人信息' }).click();
  const dialog = page.getByRole('dialog', { name: `删除 ${phone} 的个人信息？` });
  const erase = dialog.getByRole('button', { name: '删除个人信息' });
  await expect(erase).toBeDisabled();
  await dialog.getByLabel('请输入手机号以确认').fill('13600000000');
  await expect(dialog.getByText('与会员手机号不一致')).toBeVisible();
  await expect(erase).toBeDisabled();
  await dialog.getByLabel('请输入手机号以确认').fill(phone.slice(3));
  await expect(erase).toBeEnabled();
  await saveScreenshot(page, testInfo, 'member-erase-desktop');

  await erase.click();
  await expect(page).toHaveURL('/members');
  await expect(page.getByText('已删除该会员的个人信息')).toBeVisible();

  // The API agrees: no member at the phone, and its copy now shows only what the erasure kept.
  const member = await page.request.get(`/v1/members/${encodeURIComponent(phone)}`);
  expect(member.status()).toBe(404);
  const after = await page.request.get(`/v1/members/${encodeURIComponent(phone)}/export`);
  const kept = ((await after.json()) as { export: Record<string, unknown> }).export;
  expect(kept.member).toBeUndefined();
  expect(kept.erasure).toMatchObject({ points: 30, phoneProof: expect.stringMatching(/^hmac:/) });
  expect(JSON.stringify(kept)).not.toContain('宋清照');
});

test.describe('on a phone', () => {
  test.use(phoneScreen);

  test('offers export and erasure on the member’s page, and the confirmation fits the screen', async ({
    page,
  }, testInfo) => {
    const phone = await memberWithData(page);
    await page.goto(profilePath(phone));
    await expect(page.getByRole('button', { name: '导出个人信息' })).toBeVisible();
    await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'member-rights-phone');

    await page.getByRole('button', { name: '删除个人信息' }).click();
    const dialog = page.getByRole('dialog', { name: `删除 ${phone} 的个人信息？` });
    await dialog.getByLabel('请输入手机号以确认').fill(phone);
    await expect(dialog.getByRole('button', { name: '删除个人信息' })).toBeEnabled();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'member-erase-phone');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await expect(dialog).toBeHidden();
    expect((await page.request.get(`/v1/members/${encodeURIComponent(phone)}`)).status()).toBe(200);
  });
});
