import {
  chooseFile,
  expect,
  expectNoSidewaysScroll,
  memberInApi,
  newPhone,
  saveScreenshot,
  signedInAs,
  test,
} from './fixtures';

test.beforeEach(({ page }) => signedInAs(page, 'owner'));

test('imports a small CSV with a progress bar, then shows its counts and the refused rows by number', async ({
  page,
}, testInfo) => {
  const [first, second] = [newPhone(), newPhone()];
  const csv = [
    'phone,name,tags',
    `${first},甲,import`,
    'not-a-phone,乙,',
    `${second},丙,`,
    `${first},甲,`,
  ].join('\n');

  await page.goto('/imports');
  const [created] = await Promise.all([
    page.waitForResponse(
      (response) => response.url().endsWith('/v1/imports') && response.request().method() === 'POST',
    ),
    chooseFile(page, page.getByRole('button', { name: '选择 CSV 或 JSONL 文件' }), 'members.csv', csv),
  ]);
  const { import: started } = (await created.json()) as { import: { importId: string } };
  await expect(page.getByRole('progressbar', { name: '上传中' })).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByText('已完成').first()).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`import=${started.importId}`));

  const answer = await page.request.get(`/v1/imports/${started.importId}`);
  const { import: done } = (await answer.json()) as {
    import: { counts: Record<string, number>; errors: { row: number; reason: string }[] };
  };
  expect(done.counts).toMatchObject({ rows: 4, created: 2, failed: 2 });
  expect(done.errors.map((error) => error.row)).toEqual([2, 4]);
  await expect(page.getByText('被拒绝的行')).toBeVisible();
  for (const error of done.errors) {
    const row = page.getByRole('row').filter({ hasText: error.reason });
    await expect(row.getByRole('cell').first()).toHaveText(String(error.row));
  }
  expect(await memberInApi(page, first)).toMatchObject({
    name: '甲',
    tags: ['import'],
    joinChannel: 'import',
  });
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'imports-desktop');
});

test('a file that is neither CSV nor JSONL is not sent', async ({ page }) => {
  await page.goto('/imports');
  await chooseFile(page, page.getByRole('button', { name: '选择 CSV 或 JSONL 文件' }), 'members.xlsx', 'x');
  await expect(page.getByText('只能导入 .csv 或 .jsonl 文件')).toBeVisible();
});
