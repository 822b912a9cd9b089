import { randomUUID } from 'node:crypto';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../../functions/inbound-sms/handler';
import { lambdaContext } from '../../../local/local-lambda';
import { snsEventOf } from '../../../local/local-sms-gateway';
import { localPhoneProofKey } from '../../../shared/domain/phone-proof';
import type { Merchant } from '../../../shared/schemas/merchant';
import type { InboundSmsNotification, OutboundSms } from '../../../shared/schemas/sms';
import { auditStore } from '../../../shared/store/audit';
import { benefitsStore } from '../../../shared/store/benefits';
import { dailyStatsReader } from '../../../shared/store/daily-stats';
import { directoryStore } from '../../../shared/store/directory';
import { keywordAppsStore } from '../../../shared/store/keyword-apps';
import { ledgerStore } from '../../../shared/store/ledger';
import { membersStore } from '../../../shared/store/members';
import { messagesStore } from '../../../shared/store/messages';
import { outboxWriter } from '../../../shared/store/outbox';
import { redemptionFailures } from '../../../shared/store/redemption-failures';
import { referralsStore } from '../../../shared/store/referrals';
import { staffStore } from '../../../shared/store/staff';
import { surveysStore } from '../../../shared/store/surveys';
import { ticketsStore } from '../../../shared/store/tickets';
import { newMerchant, newPhone, outboxEvents, testEnv, testExchanges } from '../../support';

const env = testEnv();
const members = membersStore(env.dynamo(), env.table('members'));
let shopA: Merchant;
let shopB: Merchant;

beforeAll(async () => {
  shopA = (await newMerchant(env)).merchant;
  shopB = (await newMerchant(env)).merchant;
});

function setup() {
  const queued: OutboundSms[] = [];
  const handler = createHandler({
    directory: directoryStore(env.dynamo(), env.table('directory')),
    members: membersStore(env.dynamo(), env.table('members'), env.table('outbox')),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), env.table('members'), env.table('outbox')),
    benefits: benefitsStore(env.dynamo(), env.table('benefits'), { outbox: env.table('outbox') }),
    exchanges: testExchanges(env),
    referrals: referralsStore(env.dynamo(), env.table('members')),
    phoneProofKey: localPhoneProofKey,
    tickets: ticketsStore(env.dynamo(), env.table('engagement')),
    surveys: surveysStore(env.dynamo(), env.table('engagement')),
    keywordApps: keywordAppsStore(env.dynamo(), env.table('engagement')),
    staff: staffStore(env.dynamo(), env.table('directory')),
    audit: auditStore(env.dynamo(), env.table('audit')),
    dailyStats: dailyStatsReader(env.dynamo(), env.table('dailyStats')),
    redemptionFailures: redemptionFailures(env.dynamo(), env.table('sendLimits')),
    messages: messagesStore(env.dynamo(), env.table('messages'), env.table('campaigns')),
    campaignsTable: env.table('campaigns'),
    outbound: {
      enqueue: async (sms) => void queued.push(sms),
      enqueueMany: async (texts) => void queued.push(...texts),
    },
    outbox: outboxWriter(env.dynamo(), env.table('outbox')),
    idempotencyTable: new DynamoDBPersistenceLayer({
      tableName: env.table('idempotency'),
      awsSdkV3Client: env.dynamoClient(),
    }),
    clock: () => new Date(),
  });
  const deliver = (text: InboundSmsNotification) =>
    handler(snsEventOf(text, 'arn:aws:sns:local:000000000000:inbound-sms'), lambdaContext('inbound-sms', 10));
  /** The events the texts from the phone committed to the outbox, by detail-type. */
  const published = async (phone: string) => {
    const memberId = (await members.contact(shopA.merchantId, phone)).member?.memberId;
    return outboxEvents(env, shopA.merchantId, [phone, ...(memberId ? [memberId] : [])]);
  };
  return { queued, published, deliver };
}

const textFrom = (from: string, body: string, to = shopA.senderNumber): InboundSmsNotification => ({
  originationNumber: from,
  destinationNumber: to,
  messageBody: body,
  inboundMessageId: randomUUID(),
});

/** The events that report a change, without the `sms.received` every routed text commits. */
const changes = (events: { detailType: string }[]) =>
  events.map((event) => event.detailType).filter((type) => type !== 'sms.received');

describe('inbound-sms', () => {
  it('joins a new member, opted in by their own text, and welcomes them once however often it is delivered', async () => {
    const { queued, published, deliver } = setup();
    const phone = newPhone();
    const join = textFrom(phone, '注册 张三 1990-05-01');
    await deliver(join);
    await deliver(join);
    expect(queued).toEqual([
      {
        messageId: `reply:${join.inboundMessageId}`,
        merchantId: shopA.merchantId,
        to: phone,
        body: expect.stringContaining('张三，欢迎加入'),
        category: 'service',
      },
    ]);
    const events = await published(phone);
    expect(changes(events)).toEqual(['member.consent-changed', 'member.registered']);
    // Every routed text is announced once, with what it was read as: the churn facts count it.
    expect(events.filter((event) => event.detailType === 'sms.received').map((e) => e.detail)).toEqual([
      expect.objectContaining({ eventId: `inbound:${join.inboundMessageId}`, phone, intent: 'join' }),
    ]);
    const { member, marketing } = await members.contact(shopA.merchantId, phone);
    expect(member).toMatchObject({ name: '张三', birthday: '1990-05-01', points: 0, joinChannel: 'sms' });
    expect(marketing).toMatchObject({
      status: 'subscribed',
      channel: 'sms-keyword',
      source: '注册 张三 1990-05-01',
      keyword: 'join',
      ref: join.inboundMessageId,
    });
  });

  it('keeps an opt-out texted before joining: joining does not opt the phone in again', async () => {
    const { published, deliver } = setup();
    const phone = newPhone();
    await deliver(textFrom(phone, 'STOP'));
    await deliver(textFrom(phone, 'JOIN Li'));
    expect((await members.contact(shopA.merchantId, phone)).marketing).toMatchObject({
      status: 'unsubscribed',
      source: 'STOP',
    });
    // One consent change (the opt-out), none with joining.
    expect(changes(await published(phone))).toEqual(['member.consent-changed', 'member.registered']);
  });

  it('answers a second join as already a member and changes nothing', async () => {
    const { queued, deliver } = setup();
    const phone = newPhone();
    await deliver(textFrom(phone, 'JOIN Li'));
    const before = await members.contact(shopA.merchantId, phone);
    await deliver(textFrom(phone, 'JOIN Wang 1991-01-01'));
    expect(queued[1]?.body).toContain('already');
    expect(await members.contact(shopA.merchantId, phone)).toEqual(before);
  });

  it('reads phones written without the country code and full-width keywords', async () => {
    const { queued, deliver } = setup();
    const phone = newPhone();
    await deliver(textFrom(phone.slice(3), 'ＪＯＩＮ'));
    await deliver(textFrom(phone, 'ｐｏｉｎｔｓ'));
    expect(queued.map((sms) => sms.to)).toEqual([phone, phone]);
    expect(queued[1]?.body).toContain('balance is 0 points');
  });

  it('tells a non-member how to join, and answers anything unknown with help', async () => {
    const { queued, deliver } = setup();
    const phone = newPhone();
    await deliver(textFrom(phone, '积分'));
    await deliver(textFrom(phone, 'what?'));
    await deliver(textFrom(phone, ''));
    expect(queued.map((sms) => sms.body)).toEqual([
      expect.stringContaining('回复"注册 姓名"即可加入'),
      expect.stringContaining('JOIN name birthday'),
      expect.stringContaining('JOIN name birthday'),
    ]);
  });

  it('asks again for a birthday it cannot read, without creating the member', async () => {
    const { queued, deliver } = setup();
    const phone = newPhone();
    await deliver(textFrom(phone, '注册 张三 1990-02-30'));
    expect(queued[0]?.body).toContain('生日格式不对');
    expect(await members.contact(shopA.merchantId, phone)).toEqual({});
  });

  it('answers an over-long text with a hint and acts on nothing in it', async () => {
    const { queued, deliver } = setup();
    const phone = newPhone();
    await deliver(textFrom(phone, `注册 ${'张'.repeat(2000)}`));
    expect(queued[0]?.body).toContain('短信内容过长');
    expect(await members.contact(shopA.merchantId, phone)).toEqual({});
  });

  it('confirms an opt-out once, records when and how, and still answers service requests', async () => {
    const { queued, published, deliver } = setup();
    const phone = newPhone();
    await deliver(textFrom(phone, '注册'));
    await deliver(textFrom(phone, '退订'));
    await deliver(textFrom(phone, 'ＴＤ'));
    await deliver(textFrom(phone, '积分'));
    expect(queued.map((sms) => sms.body)).toEqual([
      expect.stringContaining('欢迎加入'),
      expect.stringContaining('您已退订'),
      expect.stringContaining('积分余额为0分'),
    ]);
    const { marketing } = await members.contact(shopA.merchantId, phone);
    expect(marketing).toMatchObject({ status: 'unsubscribed', channel: 'sms-keyword', source: '退订' });
    expect(changes(await published(phone))).toEqual([
      'member.consent-changed',
      'member.consent-changed',
      'member.registered',
    ]);

    await deliver(textFrom(phone, 'START'));
    expect(queued.at(-1)?.body).toContain('receive offers');
    expect((await members.contact(shopA.merchantId, phone)).marketing?.status).toBe('subscribed');
  });

  it("keeps each merchant's members apart, even for the same phone", async () => {
    const { deliver } = setup();
    const phone = newPhone();
    await deliver(textFrom(phone, '注册 张三'));
    expect((await members.contact(shopB.merchantId, phone)).member).toBeUndefined();
    await deliver(textFrom(phone, 'TD', shopB.senderNumber));
    expect((await members.contact(shopA.merchantId, phone)).marketing?.status).toBe('subscribed');
    expect((await members.contact(shopB.merchantId, phone)).marketing?.status).toBe('unsubscribed');
  });

  it('acknowledges a complaint and holds marketing back from the phone, member or not', async () => {
    const { queued, deliver } = setup();
    const phone = newPhone();
    const complaint = textFrom(phone, '举报：垃圾短信');
    await deliver(complaint);
    expect(queued).toEqual([
      {
        messageId: `reply:${complaint.inboundMessageId}`,
        merchantId: shopA.merchantId,
        to: phone,
        body: expect.stringContaining('投诉已收到'),
        category: 'service',
      },
    ]);
    expect((await members.contact(shopA.merchantId, phone)).suppression).toMatchObject({
      reason: 'complaint',
      channel: 'sms-keyword',
      source: '举报：垃圾短信',
      ref: complaint.inboundMessageId,
    });
  });

  it('ignores texts to a number no merchant uses and from numbers that cannot be answered', async () => {
    const { queued, deliver } = setup();
    await deliver(textFrom(newPhone(), '注册', '+86106999999999'));
    await deliver(textFrom('12345', '注册'));
    expect(queued).toEqual([]);
  });

  it('fails the invocation on a notification that is not a text, so Lambda keeps it', async () => {
    const { deliver } = setup();
    await expect(deliver({ hello: 'world' } as unknown as InboundSmsNotification)).rejects.toThrow();
  });
});

describe('the claim keyword without a code', () => {
  it('lists only the benefits a claim would grant now, by the rule the claim applies', async () => {
    const { merchant } = await newMerchant(env);
    const benefits = benefitsStore(env.dynamo(), env.table('benefits'));
    const { queued, deliver } = setup();
    const phone = newPhone();
    await deliver(textFrom(phone, '注册 张三', merchant.senderNumber));
    const tier = (await members.contact(merchant.merchantId, phone)).member?.tier ?? '';
    const offer = { tiers: [tier], limit: 'monthly' as const };
    await benefits.put(merchant.merchantId, { ...offer, code: 'OPEN', name: '每月咖啡' });
    await benefits.put(merchant.merchantId, { ...offer, code: 'ONCE', name: '新会员礼', limit: 'once' });
    await benefits.put(merchant.merchantId, { ...offer, code: 'SOLD', name: '限量杯', stock: 0 });
    await benefits.put(merchant.merchantId, {
      ...offer,
      code: 'GOLD',
      name: '金卡礼',
      tiers: ['no-such-tier'],
    });
    await benefits.put(merchant.merchantId, { ...offer, code: 'BDAY', name: '生日礼', birthdayOnly: true });
    await deliver(textFrom(phone, '领取 ONCE', merchant.senderNumber));
    expect(queued.at(-1)?.body).toContain('您已成功领取「新会员礼」');

    const listed = textFrom(phone, '领取', merchant.senderNumber);
    await deliver(listed);
    expect(queued.at(-1)).toMatchObject({
      messageId: `reply:${listed.inboundMessageId}`,
      body: '可领取：OPEN 每月咖啡。回复"领取 代码"领取。',
    });
    // Each benefit left out is refused when claimed, and the one listed is granted.
    for (const [code, reply] of [
      ['ONCE', '每位会员限领一次'],
      ['SOLD', '已领完'],
      ['GOLD', '仅限no-such-tier会员领取'],
      ['BDAY', '仅限会员生日当天领取'],
      ['OPEN', '您已成功领取「每月咖啡」'],
    ]) {
      await deliver(textFrom(phone, `领取 ${code}`, merchant.senderNumber));
      expect(queued.at(-1)?.body, code).toContain(reply);
    }
  });
});
