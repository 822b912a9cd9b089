import { expect, type Page } from '@playwright/test';

/** The demo shop's number, which its members text. */
export const shopNumber = '+861069000000';

/** A customer's text to the shop, through the local SMS simulator. */
export async function textShop(page: Page, from: string, text: string): Promise<void> {
  const sent = await page.request.post('/local/sms/inbound', { data: { from, to: shopNumber, text } });
  expect(sent.status(), await sent.text()).toBe(202);
}

/** What the phone received from the shop, oldest first. */
export async function textsTo(page: Page, phone: string): Promise<string[]> {
  const answer = await page.request.get(`/local/sms/outbox?phone=${encodeURIComponent(phone)}`);
  return ((await answer.json()) as { messages: { body: string }[] }).messages.map((m) => m.body);
}
