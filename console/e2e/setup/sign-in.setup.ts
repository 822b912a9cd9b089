import { expect, type Page, test as setup } from '@playwright/test';
import { codeInSignInText } from '../../../shared/domain/sign-in';
import { ownerState } from './owner-state';

/** The newest sign-in code texted to the phone, from the local runtime's outbox (the code is sent through a queue). */
async function codeTextedTo(page: Page, phone: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      const answer = await page.request.get(`/local/sms/outbox?phone=${encodeURIComponent(phone)}`);
      const { messages } = (await answer.json()) as { messages: { body: string }[] };
      code = messages.map((message) => codeInSignInText(message.body)).findLast(Boolean);
      return code;
    })
    .toBeTruthy();
  return code as string;
}

/** The demo owner signs in once, in the page, with the code the outbox received; the tests reuse the session. */
setup('the owner signs in with the code texted to them', async ({ page }) => {
  const phone = process.env.CONSOLE_OWNER_PHONE;
  if (!phone)
    throw new Error('CONSOLE_OWNER_PHONE is not set: the global setup starts the runtime and sets it');
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByLabel('验证码').fill(await codeTextedTo(page, phone));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const session = await page.request.get('/v1/auth/session');
  expect(session.status()).toBe(200);
  expect(await session.json()).toMatchObject({ session: { phone, role: 'owner' } });
  await page.context().storageState({ path: ownerState });
});
