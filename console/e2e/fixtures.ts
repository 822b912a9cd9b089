import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import type { Sessions, StaffRole } from './staff';

/** Playwright runs these in Node; the console's own types know no Node. */
declare const process: { env: Record<string, string | undefined> };

export { expect };

/**
 * Every test fails on what a user would not see in a passing page: an exception nothing caught, or
 * something the Content-Security-Policy blocked (the console is served with the policy CloudFront
 * sends, so this is where a change that breaks it shows).
 */
export const test = base.extend<{ pageProblems: string[] }>({
  pageProblems: [
    async ({ page }, use) => {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) problems.push(`CSP: ${message.text()}`);
      });
      await use(problems);
      expect(problems).toEqual([]);
    },
    { auto: true },
  ],
});

/** A phone in portrait: the width the console must fit without sideways scrolling. */
export const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/**
 * The browser holds the session of the demo shop's owner, marketing or cashier, signed in for real by the global
 * setup (e2e/setup/staff.ts), as its cookie jar would after signing in. No test signs these out.
 */
export async function signedInAs(page: Page, role: StaffRole): Promise<void> {
  const sessions = JSON.parse(process.env.CONSOLE_SESSIONS ?? '{}') as Sessions;
  const value = sessions[role];
  if (!value) throw new Error(`the global setup signed in no ${role}`);
  const { hostname } = new URL(process.env.CONSOLE_URL ?? '');
  await page
    .context()
    .addCookies([
      { name: 'mcrm_session', value, domain: hostname, path: '/v1', httpOnly: true, sameSite: 'Strict' },
    ]);
}

/** The page is no wider than the window: nothing to scroll sideways. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: (document.scrollingElement ?? document.documentElement).scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

/** A mainland mobile number no other test uses (the demo owner's is +86139…, the API tests' +86138…). */
export function newPhone(): string {
  return `+86136${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

type Member = { phone: string; name?: string; points: number; storedValue: number; tags: string[] } & Record<
  string,
  unknown
>;

/** The member as the API has them, asked with the page's own session: what the page should show. */
export async function memberInApi(page: Page, phone: string): Promise<Member> {
  const answer = await page.request.get(`/v1/members/${encodeURIComponent(phone)}`);
  expect(answer.status(), await answer.text()).toBe(200);
  return ((await answer.json()) as { member: Member }).member;
}

/** The member's ledger entries, newest first, as the API has them. */
export async function ledgerInApi(page: Page, phone: string): Promise<{ type: string; delta: number }[]> {
  const answer = await page.request.get(`/v1/members/${encodeURIComponent(phone)}/ledger?limit=50`);
  expect(answer.status(), await answer.text()).toBe(200);
  return ((await answer.json()) as { entries: { type: string; delta: number }[] }).entries;
}

/** Adds a member through the API (with the session and its CSRF header), as known data a test starts from. */
export async function addMemberInApi(
  page: Page,
  member: { phone: string } & Record<string, unknown>,
): Promise<void> {
  const answer = await page.request.post('/v1/members', { data: member, headers: { 'x-mcrm-csrf': '1' } });
  expect(answer.status(), await answer.text()).toBe(201);
}

/**
 * Whether the element's Chinese is drawn with real glyphs: two different characters drawn in its
 * font give different pictures, while with no Chinese font both are the same empty box.
 */
export async function drawsChinese(element: Locator, characters: [string, string]): Promise<boolean> {
  return element.evaluate((node, [first, second]) => {
    const font = getComputedStyle(node).font;
    const picture = (text: string) => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2D canvas');
      context.font = font;
      context.fillText(text, 0, 48);
      return canvas.toDataURL();
    };
    return picture(first) !== picture(second);
  }, characters);
}

/** A full-page screenshot among the test's results (console/e2e/.out/results), to look at. */
export async function saveScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  // The whole page, by a window as tall as the page: Chromium's full-page capture leaves canvases
  // (the dashboard's chart) blank. The chart redraws for the new size in the next frames.
  const viewport = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (viewport && height > viewport.height) await page.setViewportSize({ ...viewport, height });
  await page.evaluate(
    () => new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn))),
  );
  await page.screenshot({ path, animations: 'disabled' });
  if (viewport) await page.setViewportSize(viewport);
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/**
 * Chooses a file made of `text` with the button that opens the file chooser. The file is made in
 * the page (DOM's File), so the tests need no Node types beside the browser's.
 */
export async function chooseFile(page: Page, button: Locator, name: string, text: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), button.click()]);
  await chooser.element().evaluate(
    (input, file) => {
      const chosen = new DataTransfer();
      chosen.items.add(new File([file.text], file.name));
      (input as HTMLInputElement).files = chosen.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    },
    { name, text },
  );
}

/**
 * How long a test waits for a text to reach a phone: it passes the outbound queue and the sender, and
 * on a loaded machine that takes more than an expectation's default 10 s. A test that waits for
 * texts this way is marked `test.slow()`, so one wait cannot use up the whole test.
 */
export const textArrives = { timeout: 30_000 };
