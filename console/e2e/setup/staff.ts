import { demoOwnerPhone } from '../../../local/demo-merchant';
import { codeFromOutbox, outboxSize, type Sessions, staffPhones } from '../staff';

if (staffPhones.owner !== demoOwnerPhone) throw new Error('the browser tests sign in as the demo owner');

const json = { 'content-type': 'application/json', 'x-mcrm-csrf': '1' };

/** Signs the phone in as the console does; the value of its session cookie. */
async function signIn(url: string, phone: string): Promise<string> {
  const texted = await outboxSize(url, phone);
  await fetch(`${url}/v1/auth/code`, { method: 'POST', headers: json, body: JSON.stringify({ phone }) });
  const code = await codeFromOutbox(url, phone, texted);
  const answer = await fetch(`${url}/v1/auth/session`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ phone, code }),
  });
  const value = /^mcrm_session=([^;]+)/.exec(answer.headers.getSetCookie()[0] ?? '')?.[1];
  if (answer.status !== 201 || !value) throw new Error(`${phone} could not sign in: ${await answer.text()}`);
  return value;
}

/**
 * The demo owner signs in and adds the marketing and cashier staff, who sign in too. The tests run at
 * any hour, so the shop sends marketing texts all day: a campaign sends while its test waits.
 */
export async function signInStaff(url: string): Promise<Sessions> {
  const owner = await signIn(url, staffPhones.owner);
  const allDay = await fetch(`${url}/v1/settings/sending`, {
    method: 'PUT',
    headers: { ...json, cookie: `mcrm_session=${owner}` },
    body: JSON.stringify({ marketingHours: { start: '00:00', end: '24:00' } }),
  });
  if (allDay.status !== 200) throw new Error(`the marketing hours could not be set: ${await allDay.text()}`);
  for (const role of ['marketing', 'cashier'] as const) {
    const added = await fetch(`${url}/v1/staff`, {
      method: 'POST',
      headers: { ...json, cookie: `mcrm_session=${owner}` },
      body: JSON.stringify({
        phone: staffPhones[role],
        name: role === 'cashier' ? '收银员小李' : '市场部小王',
        role,
      }),
    });
    if (added.status !== 201) throw new Error(`the ${role} could not be added: ${await added.text()}`);
  }
  return {
    owner,
    marketing: await signIn(url, staffPhones.marketing),
    cashier: await signIn(url, staffPhones.cashier),
  };
}
