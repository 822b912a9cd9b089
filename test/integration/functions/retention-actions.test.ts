import { randomUUID } from 'node:crypto';
import { ulid } from 'ulidx';
import { beforeEach, describe, expect, it } from 'vitest';
import { churnZoneChanged, type DomainEvent, eventOf } from '../../../events';
import { createHandler } from '../../../functions/retention-actions/handler';
import { lambdaContext } from '../../../local/local-lambda';
import { isHeldOut } from '../../../shared/domain/campaign';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { RetentionRule } from '../../../shared/schemas/retention';
import type { OutboundSms } from '../../../shared/schemas/sms';
import { activityUpdates } from '../../../shared/store/activity';
import { benefitsStore } from '../../../shared/store/benefits';
import { directoryStore } from '../../../shared/store/directory';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { retentionStore } from '../../../shared/store/retention';
import { templatesStore } from '../../../shared/store/templates';
import { newMerchant, newPhone, outboxEvent, outboxEvents, testEnv, testExchanges } from '../../support';

const env = testEnv();
const db = env.dynamo();
const members = membersStore(db, env.table('members'));
const ledger = ledgerStore(db, env.table('ledger'), env.table('members'), env.table('outbox'));
const benefits = benefitsStore(db, env.table('benefits'), { outbox: env.table('outbox') });
const retention = retentionStore(db, env.table('retention'));
const templates = templatesStore(db, env.table('campaigns'));
const day = 86_400_000;

let merchant: Merchant;
let queued: OutboundSms[];
let clock: Date;
let handler: ReturnType<typeof createHandler>;

beforeEach(async () => {
  merchant = (await newMerchant(env)).merchant;
  queued = [];
  clock = new Date('2027-03-02T01:00:00.000Z');
  handler = createHandler({
    directory: directoryStore(db, env.table('directory')),
    retention,
    activity: activityUpdates(db, env.table('members')),
    templates,
    ledger,
    exchanges: testExchanges(env),
    benefits,
    outbound: { enqueue: async (sms) => void queued.push(sms) },
    clock: () => clock,
  });
  await templates.create({
    merchantId: merchant.merchantId,
    templateId: 'miss-you',
    name: '想念您',
    body: '{{name}}，好久不见！送您的积分已到账，现有{{points}}积分',
    category: 'marketing',
    createdAt: clock.toISOString(),
    updatedAt: clock.toISOString(),
  });
});

async function rule(overrides: Partial<RetentionRule> = {}): Promise<RetentionRule> {
  const created: RetentionRule = {
    merchantId: merchant.merchantId,
    ruleId: `win-back-${randomUUID().slice(0, 8)}`,
    name: '红区挽回',
    zone: 'red',
    templateId: 'miss-you',
    grant: { kind: 'points', points: 200 },
    coolDownDays: 30,
    holdoutPercent: 0,
    status: 'active',
    createdAt: clock.toISOString(),
    ...overrides,
  };
  expect(await retention.createRule(created)).toBe(true);
  return created;
}

/** A member with 300 points; `heldOutBy`: one whose id that rule holds out. */
async function member(heldOutBy?: RetentionRule) {
  let memberId = ulid();
  while (heldOutBy && !isHeldOut(`retention#${heldOutBy.ruleId}`, memberId, heldOutBy.holdoutPercent)) {
    memberId = ulid();
  }
  const created = {
    merchantId: merchant.merchantId,
    memberId,
    phone: newPhone(),
    name: '小红',
    tier: 'gold',
    joinedAt: '2026-01-01T00:00:00.000Z',
    joinChannel: 'merchant-api' as const,
    joinRef: randomUUID(),
    points: 300,
  };
  expect(await members.register(created)).toBe(true);
  return created;
}

/** A scoring run moved the member to `to`; delivered as the rule hands it to the function. */
function zoneChange(who: { memberId: string; phone: string }, to: 'red' | 'yellow' = 'red') {
  const runId = randomUUID();
  return eventOf(churnZoneChanged, {
    eventId: `zone:${runId}:${who.memberId}`,
    merchantId: merchant.merchantId,
    memberId: who.memberId,
    phone: who.phone,
    from: 'yellow',
    to,
    score: 8,
    rules: ['no-purchase-60d', 'spend-down-50'],
    runId,
    scoredAt: clock.toISOString(),
  });
}
const deliver = (event: DomainEvent) =>
  handler(
    {
      version: '0',
      id: randomUUID(),
      'detail-type': event.detailType,
      source: 'mcrm',
      account: '000000000000',
      time: clock.toISOString(),
      region: 'us-east-1',
      resources: [],
      detail: event.detail,
    },
    lambdaContext('retention-actions', 30),
  );

const entries = async (who: { memberId: string }) =>
  (await ledger.history(merchant.merchantId, who.memberId, { limit: 10 })).entries;
const targets = async (who: { phone: string }) =>
  (await members.contact(merchant.merchantId, who.phone)).member?.activity?.targets ?? [];
const sentIds = () => new Set(queued.map((sms) => sms.messageId));

describe('retention-actions', () => {
  it('texts a member entering red from the template and grants the bonus points once', async () => {
    const winBack = await rule();
    await rule({ zone: 'yellow' });
    const who = await member();

    expect(await deliver(zoneChange(who))).toEqual([{ ruleId: winBack.ruleId, outcome: 'treated' }]);

    const at = clock.toISOString();
    expect(queued).toEqual([
      {
        messageId: `retention#${winBack.ruleId}#${who.memberId}#${at}`,
        merchantId: merchant.merchantId,
        to: who.phone,
        body: '小红，好久不见！送您的积分已到账，现有500积分',
        category: 'marketing',
        template: 'miss-you',
      },
    ]);
    expect(await entries(who)).toMatchObject([
      {
        type: 'earn',
        delta: 200,
        reason: 'retention: 红区挽回',
        idempotencyKey: `retention:${winBack.ruleId}:${who.memberId}:${at}`,
      },
    ]);
    // The grant's event was committed with it, for outbox-publisher to publish (with the balance then).
    expect(
      await outboxEvent(env, merchant.merchantId, `ledger:retention:${winBack.ruleId}:${who.memberId}:${at}`),
    ).toMatchObject({ detailType: 'points.earned', detail: { memberId: who.memberId, delta: 200 } });
    expect(await targets(who)).toMatchObject([{ ruleId: winBack.ruleId, group: 'treated', at }]);
  });

  it('acts once on an event delivered twice: one text id, one ledger entry, one target', async () => {
    await rule();
    const who = await member();
    const event = zoneChange(who);
    await deliver(event);
    clock = new Date(clock.getTime() + 60_000);
    await deliver(event);

    expect(sentIds().size).toBe(1);
    expect(await entries(who)).toHaveLength(1);
    expect(await targets(who)).toHaveLength(1);
  });

  it('does nothing for another entry into red within the cool-down, and acts again after it', async () => {
    const winBack = await rule({ coolDownDays: 30 });
    const who = await member();
    await deliver(zoneChange(who));

    clock = new Date(clock.getTime() + 29 * day);
    expect(await deliver(zoneChange(who))).toEqual([{ ruleId: winBack.ruleId, outcome: 'cooling-down' }]);
    expect(sentIds().size).toBe(1);
    expect(await entries(who)).toHaveLength(1);

    clock = new Date(clock.getTime() + 2 * day);
    expect(await deliver(zoneChange(who))).toEqual([{ ruleId: winBack.ruleId, outcome: 'treated' }]);
    expect(sentIds().size).toBe(2);
    expect(await entries(who)).toHaveLength(2);
    expect(await targets(who)).toHaveLength(2);
  });

  it('records a held-out member as holdout and neither texts nor grants', async () => {
    const winBack = await rule({ holdoutPercent: 50 });
    const who = await member(winBack);

    expect(await deliver(zoneChange(who))).toEqual([{ ruleId: winBack.ruleId, outcome: 'held-out' }]);
    expect(queued).toEqual([]);
    expect(await entries(who)).toEqual([]);
    expect(await outboxEvents(env, merchant.merchantId, [who.memberId])).toEqual([]);
    expect(await targets(who)).toMatchObject([{ ruleId: winBack.ruleId, group: 'holdout' }]);
  });

  it('grants a benefit once, as a retention grant, however often the event comes', async () => {
    await benefits.put(merchant.merchantId, {
      code: 'COFFEE',
      name: '免费咖啡',
      tiers: ['gold'],
      limit: 'monthly',
      validDays: 14,
    });
    await rule({ grant: { kind: 'benefit', code: 'COFFEE' } });
    const who = await member();
    const event = zoneChange(who);
    await deliver(event);
    await deliver(event);

    expect(await benefits.claims(merchant.merchantId, who.memberId)).toHaveLength(1);
    // One claim, one event committed with it, however often the zone change came.
    const claimed = await outboxEvents(env, merchant.merchantId, [who.memberId]);
    expect(claimed.map((e) => [e.detailType, e.detail.channel])).toEqual([['benefit.claimed', 'retention']]);
    expect(sentIds().size).toBe(1);
  });

  it('sends nothing when the template was deleted or the member left', async () => {
    const missing = await rule({ templateId: 'deleted-template' });
    const who = await member();
    expect(await deliver(zoneChange(who))).toEqual([{ ruleId: missing.ruleId, outcome: 'no-template' }]);
    expect(await targets(who)).toEqual([]);

    await retention.stopRule(merchant.merchantId, missing.ruleId, clock);
    const winBack = await rule();
    const gone = await member();
    await members.softDelete(merchant.merchantId, gone.phone, clock);
    expect(await deliver(zoneChange(gone))).toEqual([{ ruleId: winBack.ruleId, outcome: 'no-member' }]);

    expect(queued).toEqual([]);
    expect(await entries(who)).toEqual([]);
  });
});
