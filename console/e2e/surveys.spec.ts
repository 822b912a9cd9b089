import type { Page } from '@playwright/test';
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
import { textShop, textsTo } from './sms';

// Charts draw at once instead of growing in, so what is checked and shot is the final picture.
test.use({ contextOptions: { reducedMotion: 'reduce' } });
test.beforeEach(({ page }) => signedInAs(page, 'marketing'));

type Survey = { surveyId: string; name: string; status: string; questions: { kind: string }[] };

/** The member's text to the shop, once the shop's previous text reached them: the reply it got. */
async function answer(page: Page, from: string, text: string): Promise<void> {
  const before = (await textsTo(page, from)).length;
  await textShop(page, from, text);
  await expect.poll(async () => (await textsTo(page, from)).length, textArrives).toBe(before + 1);
}

const question = (page: Page, n: number) => page.getByRole('region', { name: `第 ${n} 题` });

test('a survey built with a choice, a rating and a text question is saved once, sent, answered by text, and its results charted', async ({
  page,
}, testInfo) => {
  test.slow();
  const tag = `survey${Date.now().toString(36)}`;
  const name = `到店体验${tag}`;
  await page.goto('/surveys');
  await page.getByRole('link', { name: /新建问卷/ }).click();
  await expect(page).toHaveURL(/\/surveys\/new$/);

  await page.getByLabel('问卷名称').fill(name);
  await page.getByLabel('开场白').fill('好'.repeat(300));
  await page.getByLabel('第 1 题 题目').fill('问'.repeat(200));
  await page.getByLabel('第 1 题 选项 1').fill('拿铁');
  await page.getByLabel('第 1 题 选项 2').fill('美式');
  await expect(question(page, 1).getByText(/each must differ/)).toBeHidden();
  await question(page, 1)
    .getByRole('button', { name: /添加选项/ })
    .click();
  await page.getByLabel('第 1 题 选项 3').fill('手冲');
  // Built out of order: the text question second, the rating third, then the rating moved up.
  await page.getByRole('button', { name: /添加题目/ }).click();
  await question(page, 2).getByText('文字', { exact: true }).click();
  await page.getByLabel('第 2 题 题目').fill('还有什么建议？');
  await page.getByRole('button', { name: /添加题目/ }).click();
  await question(page, 3).getByText('评分', { exact: true }).click();
  await page.getByLabel('第 3 题 题目').fill('请为服务打分');
  await question(page, 3).getByRole('button', { name: /上移/ }).click();
  await expect(page.getByLabel('第 2 题 题目')).toHaveValue('请为服务打分');
  await expect(page.getByLabel('第 3 题 题目')).toHaveValue('还有什么建议？');
  await page.getByLabel('结束语').fill('感谢参与！');

  // The intro with the first question and the signature are over 500 characters: refused at the intro.
  const save = page.getByRole('button', { name: /保存问卷/ });
  await save.click();
  await expect(
    page.getByText(/^the intro with question 1, as a campaign sends it is \d+ characters/),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/surveys\/new$/);
  await page.getByLabel('开场白').fill('咖啡店想听听您的意见，共3题，回复即可。');
  await page.getByLabel('第 1 题 题目').fill('您最喜欢哪款咖啡？');
  // Two options alike: a member answering with the text could mean either. Refused at the question's options.
  await page.getByLabel('第 1 题 选项 2').fill('拿铁');
  await save.click();
  await expect(question(page, 1).getByText(/each must differ/)).toBeVisible();
  await page.getByLabel('第 1 题 选项 2').fill('美式');
  await expect(question(page, 1).getByText(/each must differ/)).toBeHidden();
  await saveScreenshot(page, testInfo, 'survey-builder-desktop');
  await save.dblclick();
  await expect(page).toHaveURL(/\/surveys\/[0-9A-Z]{26}$/);
  const surveyId = page.url().split('/').at(-1) as string;

  const listed = await apiAs<{ surveys: Survey[] }>(page, 'GET', '/v1/surveys?limit=50');
  const saved = listed.body.surveys.filter((survey) => survey.name === name);
  expect(saved.map((survey) => survey.surveyId)).toEqual([surveyId]);
  expect(saved[0]?.questions.map((q) => q.kind)).toEqual(['choice', 'rating', 'text']);
  await expect(page.getByRole('link', { name: /作为营销活动发送/ })).toHaveAttribute(
    'href',
    `/campaigns/new?survey=${surveyId}`,
  );

  // Sent by a campaign (made through the API) to three members; two answer, one of them every question.
  const [finisher, quitter, silent] = [newPhone(), newPhone(), newPhone()] as [string, string, string];
  for (const member of [finisher, quitter, silent]) {
    await addMemberInApi(page, { phone: member, tags: [tag], marketingConsent: { source: '门店登记表' } });
  }
  const campaign = await apiAs<{ campaign: { campaignId: string } }>(page, 'POST', '/v1/campaigns', {
    name: `问卷${tag}`,
    surveyId,
    audience: { definition: { field: 'tags', op: 'contains', value: tag } },
    schedule: { kind: 'now' },
  });
  expect(campaign.status).toBe(201);
  const { campaignId } = campaign.body.campaign;
  expect((await apiAs(page, 'POST', `/v1/campaigns/${campaignId}/schedule`)).status).toBe(200);
  for (const member of [finisher, quitter, silent]) {
    await expect
      .poll(async () => (await textsTo(page, member)).join(), textArrives)
      .toContain('您最喜欢哪款咖啡');
  }
  await answer(page, finisher, '3');
  await answer(page, finisher, '4');
  await answer(page, finisher, '豆子很香，希望多些座位');
  await answer(page, quitter, '拿铁');

  await page.reload();
  await expect(page.getByText('66.7', { exact: true })).toBeVisible(textArrives);
  const choiceChart = page.getByRole('img', { name: '第 1 题各选项的人数' });
  const ratingChart = page.getByRole('img', { name: '第 2 题各分数的人数' });
  for (const chart of [choiceChart, ratingChart]) {
    await expect.poll(() => paintedPixels(chart.locator('canvas'))).toBeGreaterThan(500);
  }
  await expect(question(page, 1).getByText('2 人作答 · 0 人跳过')).toBeVisible();
  await expect(question(page, 2).getByText('4.00', { exact: true })).toBeVisible();
  await expect(question(page, 3).getByText('豆子很香，希望多些座位')).toBeVisible();
  const results = await apiAs<{ results: { respondents: number; reached: number } }>(
    page,
    'GET',
    `/v1/surveys/${surveyId}/results`,
  );
  expect(results.body.results).toMatchObject({ reached: 3, respondents: 2 });
  await expectNoSidewaysScroll(page);
  await saveScreenshot(page, testInfo, 'survey-results-desktop');

  await page.getByRole('button', { name: /关闭问卷/ }).click();
  await page
    .getByRole('tooltip')
    .getByRole('button', { name: /关闭问卷/ })
    .click();
  await expect(page.getByText('已关闭', { exact: true })).toBeVisible();
  expect((await apiAs<{ survey: Survey }>(page, 'GET', `/v1/surveys/${surveyId}`)).body.survey.status).toBe(
    'closed',
  );
  await expect(page.getByRole('link', { name: /作为营销活动发送/ })).toHaveCount(0);
});

test.describe('on a phone', () => {
  test.use(phone);

  test('the surveys, the builder and a survey’s results fit 390 px', async ({ page }, testInfo) => {
    // Three pages, each shot whole: longer than most tests on a busy machine.
    test.slow();
    const name = `手机问卷${Date.now().toString(36)}`;
    const created = await apiAs<{ survey: Survey }>(page, 'POST', '/v1/surveys', {
      name,
      intro: '想听听您的意见。',
      questions: [
        { kind: 'choice', prompt: '您多久来一次？', options: ['每周', '每月', '很少'] },
        { kind: 'rating', prompt: '请为环境打分' },
        { kind: 'text', prompt: '还有什么建议？' },
      ],
      thankYou: '谢谢！',
    });
    expect(created.status).toBe(201);
    await page.goto('/surveys');
    await expect(page.getByRole('link', { name })).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'surveys-phone');
    await page.goto('/surveys/new');
    await expect(page.getByLabel('第 1 题 题目')).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'survey-builder-phone');
    await page.goto(`/surveys/${created.body.survey.surveyId}`);
    await expect(page.getByRole('img', { name: '第 1 题各选项的人数' })).toBeVisible();
    await expect(page.getByText('还没有回答')).toBeVisible();
    await expectNoSidewaysScroll(page);
    await saveScreenshot(page, testInfo, 'survey-results-phone');
  });
});
