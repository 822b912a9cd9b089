import { test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import type { Sessions } from './staff';

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
 * The browser holds the session of the demo shop's owner or cashier, signed in for real by the global
 * setup (e2e/setup/staff.ts), as its cookie jar would after signing in. No test signs these out.
 */
export async function signedInAs(page: Page, role: 'owner' | 'cashier'): Promise<void> {
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
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
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
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
