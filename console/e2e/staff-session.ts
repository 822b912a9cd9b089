import { type APIRequestContext, expect, type Page } from '@playwright/test';

/** The demo shop's owner, made by the local runtime at start. */
export const ownerPhone = '+8613900000000';

/** Where the owner's signed-in browser state is kept for the tests that start signed in. */
export const ownerState = 'console/e2e/.out/owner-state.json';

/** A phone no other test uses: staff each test adds must not collide across parallel tests. */
export const newStaffPhone = () => `+86137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

/** The newest sign-in code texted to the phone, read from the local runtime's outbox. */
export async function codeFromOutbox(request: APIRequestContext, phone: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      const answer = await request.get(`/local/sms/outbox?phone=${encodeURIComponent(phone)}`);
      const { messages } = (await answer.json()) as { messages: { body: string }[] };
      code = messages
        .map((text) => /登录验证码为(\d{6})/.exec(text.body)?.[1])
        .filter(Boolean)
        .at(-1);
      return code;
    })
    .toBeTruthy();
  return code as string;
}

/** Signs in through the sign-in page, with the code texted to the phone, as a member of staff would. */
export async function signIn(page: Page, phone: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('手机号').fill(phone);
  const before = await outboxLength(page.request, phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByLabel('验证码')).toBeVisible();
  await expect.poll(() => outboxLength(page.request, phone)).toBeGreaterThan(before);
  await page.getByLabel('验证码').fill(await codeFromOutbox(page.request, phone));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
}

async function outboxLength(request: APIRequestContext, phone: string): Promise<number> {
  const answer = await request.get(`/local/sms/outbox?phone=${encodeURIComponent(phone)}`);
  return ((await answer.json()) as { messages: unknown[] }).messages.length;
}

/** The API as the page's signed-in staff member calls it: their cookie, and the header changes need. */
export async function apiAs<Body = Record<string, unknown>>(
  page: Page,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  data?: unknown,
): Promise<{ status: number; body: Body }> {
  const answer = await page.request.fetch(path, {
    method,
    headers: { 'x-mcrm-csrf': '1' },
    ...(data === undefined ? {} : { data }),
  });
  return { status: answer.status(), body: (await answer.json()) as Body };
}
