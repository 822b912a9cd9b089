import { codeInSignInText } from '../../shared/domain/sign-in-text';

/**
 * The demo shop's staff the browser tests act as. The global setup (setup/staff.ts) adds them and
 * signs each in once for the whole run, so no test spends a phone's few codes an hour (the sign-in
 * page's own test signs `marketing` in once more).
 */
export const staffPhones = {
  owner: '+8613900000000',
  marketing: '+8613900000001',
  cashier: '+8613900000002',
};
export type StaffRole = keyof typeof staffPhones;

/** The session cookies the global setup hands the tests (in CONSOLE_SESSIONS), by role. */
export type Sessions = Partial<Record<StaffRole, string>>;

/** How many texts the phone has in the local runtime's outbox. */
export async function outboxSize(url: string, phone: string): Promise<number> {
  const outbox = await fetch(`${url}/local/sms/outbox?phone=${encodeURIComponent(phone)}`);
  return ((await outbox.json()) as { messages: unknown[] }).messages.length;
}

/** The sign-in code in the first text to the phone after its `after` texts, once it arrives. */
export async function codeFromOutbox(url: string, phone: string, after: number): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const outbox = await fetch(`${url}/local/sms/outbox?phone=${encodeURIComponent(phone)}`);
    const { messages } = (await outbox.json()) as { messages: { body: string }[] };
    const code = codeInSignInText(messages[after]?.body ?? '');
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no sign-in code reached ${phone}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
