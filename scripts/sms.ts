/**
 * `npm run sms -- --from +8613800138000 --to +861069000000 "积分"`: texts the local runtime as a
 * customer would and prints the reply. --to defaults to the demo merchant's number; the server
 * is the one `npm start` runs (PORT, default 3000).
 */
import { parseArgs } from 'node:util';
import type { DeliveredText } from '../local/local-sms-gateway';

const usage = 'usage: npm run sms -- --from <phone> [--to <merchant number>] [--wait <seconds>] "<text>"';
const { values, positionals } = parseArgs({
  options: { from: { type: 'string' }, to: { type: 'string' }, wait: { type: 'string', default: '5' } },
  allowPositionals: true,
});
const text = positionals.join(' ');
if (!values.from || positionals.length === 0) {
  console.error(usage);
  process.exit(2);
}
const port = process.env.PORT ?? '3000';
const server = process.env.MCRM_URL ?? `http://127.0.0.1:${port}`;
/** How to point the script elsewhere: MCRM_URL when it was set, else PORT. */
const elsewhere = process.env.MCRM_URL
  ? 'MCRM_URL names the server to text'
  : `it tried port ${port}; PORT changes it (PORT=3001 npm run sms -- …) when npm start runs on another`;

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${server}${path}`, init).catch(() => {
    console.error(`nothing answers at ${server}: start the backend with \`npm start\` first (${elsewhere})`);
    process.exit(1);
  });
  const body = (await response.json()) as T & { error?: { message: string } };
  if (!response.ok) {
    console.error(`refused (${response.status}): ${body.error?.message ?? JSON.stringify(body)}`);
    process.exit(1);
  }
  return body;
}

const to = values.to ?? (await call<{ number: string }>('/')).number;
const outbox = () =>
  call<{ messages: DeliveredText[] }>(
    `/local/sms/outbox?phone=${encodeURIComponent(values.from ?? '')}`,
  ).then((body) => body.messages);
// Count before sending: the reply can arrive before this script looks.
const before = (await outbox()).filter((message) => message.from === to).length;
await call('/local/sms/inbound', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ from: values.from, to, text }),
});
console.log(`→ ${to}: ${text}`);

const deadline = Date.now() + Number(values.wait) * 1000;
let replies: DeliveredText[] = [];
while (replies.length === 0 && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 200));
  replies = (await outbox()).filter((message) => message.from === to).slice(before);
}
for (const reply of replies) {
  console.log(`← ${reply.body}  (${reply.segments} part${reply.segments > 1 ? 's' : ''}, ${reply.encoding})`);
}
if (replies.length === 0) console.log(`← (no reply within ${values.wait} s)`);
