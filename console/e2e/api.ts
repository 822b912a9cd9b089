import type { Page } from '@playwright/test';

/** A phone no other test uses: staff each test adds must not collide across parallel tests. */
export const newStaffPhone = () => `+86137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

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
