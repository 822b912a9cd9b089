import { describe, expect, it } from 'vitest';
import { type SendSmsDeps, sendQueuedSms } from '../../../functions/send-sms/send';
import { careSettingsSchema } from '../../../shared/schemas/care';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { OutgoingText } from '../../../shared/sms/provider';
import { benefitsStore } from '../../../shared/store/benefits';
import { careStore } from '../../../shared/store/care';
import { directoryStore } from '../../../shared/store/directory';
import { erasureMarks } from '../../../shared/store/erasure-marks';
import { jobsStore } from '../../../shared/store/jobs';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { sendLimitsStore } from '../../../shared/store/send-limits';
import { templatesStore } from '../../../shared/store/templates';
import { tiersStore } from '../../../shared/store/tiers';
import { type CareDeps, type CareText, runCare } from '../../../shared/use-cases/care-texts';
import { newMerchant, newPhone, testCountCards, testEnv } from '../../support';

/**
 * A care run killed as Lambda can kill it: after it queued some of the day's greetings and before it
 * recorded its progress. The schedule runs it again; the greetings it queues twice carry the same
 * send-once ids, so send-sms sends each member one greeting.
 */
const env = testEnv();
const db = env.dynamo();
const members = membersStore(db, env.table('members'));
const care = careStore(db, env.table('care'), env.table('members'));
const careDeps: CareDeps = {
  care,
  members,
  ledger: ledgerStore(db, env.table('ledger'), env.table('members')),
  tiers: tiersStore(db, env.table('members')),
  benefits: benefitsStore(db, env.table('benefits')),
  countCards: testCountCards(env),
  jobs: jobsStore(db, env.table('directory')),
};

// 10:00 on 15 March in Shanghai: inside the care send window and the marketing hours.
const runAt = new Date('2027-03-15T10:00:00+08:00');

async function birthdayMembers(merchant: Merchant, count: number): Promise<string[]> {
  const phones = Array.from({ length: count }, () => newPhone());
  await Promise.all(
    phones.map(async (phone, i) => {
      const created = await members.create(
        {
          merchantId: merchant.merchantId,
          memberId: `mem-${merchant.merchantId}-${i}`,
          phone,
          name: `会员${i}`,
          birthday: '1990-03-15',
          joinedAt: '2026-01-01T00:00:00.000Z',
          joinChannel: 'import',
          joinRef: `import-${i}`,
          points: 0,
        },
        {
          status: 'subscribed',
          changedAt: '2026-01-01T00:00:00.000Z',
          channel: 'merchant-api',
          source: 'signed the paper form',
          ref: `consent-${i}`,
        },
      );
      expect(created.status).toBe('created');
    }),
  );
  return phones;
}

/** send-sms with the real stores and a provider that counts what reaches the carrier, by message id. */
function sender() {
  const carried = new Map<string, number>();
  const offset = runAt.getTime() - Date.now();
  const deps: SendSmsDeps = {
    directory: directoryStore(db, env.table('directory')),
    members,
    erasures: erasureMarks(db, env.table('members')),
    messages: messagesStore(db, env.table('messages'), env.table('campaigns')),
    templates: templatesStore(db, env.table('campaigns')),
    limits: sendLimitsStore(db, env.table('sendLimits')),
    queue: {
      enqueueLater: async () => {
        throw new Error('no greeting here waits for later');
      },
      redeliverLater: async () => undefined,
    },
    provider: {
      async send(text: OutgoingText) {
        const id = text.context?.messageId ?? '';
        carried.set(id, (carried.get(id) ?? 0) + 1);
        return { providerMessageId: `p-${id}` };
      },
    },
    clock: () => new Date(Date.now() + offset),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  return { carried, send: (text: CareText) => sendQueuedSms(text, deps, { receiveCount: 1 }) };
}

describe('a care run killed after queuing some greetings', () => {
  it('run again, queues the rest, and each member gets one birthday greeting', async () => {
    const { merchant } = await newMerchant(env);
    await care.saveSettings(
      merchant.merchantId,
      careSettingsSchema.parse({ birthday: { template: '{{name}}，生日快乐！' } }),
      runAt,
    );
    const phones = await birthdayMembers(merchant, 25);

    // The queue takes texts ten to a request; the run is killed after its first request was taken.
    const queued: CareText[] = [];
    let killed = false;
    const killedAfterTen = async (texts: CareText[]) => {
      if (!killed && texts.length > 10) {
        queued.push(...texts.slice(0, 10));
        killed = true;
        throw new Error('Lambda killed');
      }
      queued.push(...texts);
    };
    const deadline = Date.now() + 60_000;
    await expect(runCare(merchant, runAt, deadline, killedAfterTen, careDeps)).rejects.toThrow(
      'Lambda killed',
    );
    expect(queued).toHaveLength(10);

    await runCare(merchant, runAt, deadline, killedAfterTen, careDeps);
    // And once more, as a schedule that fires again that day: the occasion is done.
    await runCare(merchant, runAt, deadline, killedAfterTen, careDeps);
    const ids = new Set(queued.map((text) => text.messageId));
    expect({ queued: queued.length, ids: ids.size }).toEqual({ queued: 35, ids: 25 });
    expect([...ids].every((id) => id.startsWith('care:birthday:2027-03-15:'))).toBe(true);

    const { carried, send } = sender();
    // The copies arrive as SQS would deliver them, some at the same time: a copy that finds its message
    // being sent by the other comes back later, as the queue redelivers it, and finds it settled.
    const first = await Promise.allSettled(queued.map((text) => send(text)));
    const leased = queued.filter((_, i) => first[i]?.status === 'rejected');
    expect(
      first.flatMap((outcome) => (outcome.status === 'rejected' ? [(outcome.reason as Error).name] : [])),
    ).toEqual(leased.map(() => 'MessageLeasedError'));
    await Promise.all(leased.map((text) => send(text)));
    expect([...carried.values()]).toEqual(Array(25).fill(1));
    const greeted = new Set(queued.filter((text) => carried.has(text.messageId)).map((text) => text.to));
    expect([...greeted].sort()).toEqual([...phones].sort());
  });
});
