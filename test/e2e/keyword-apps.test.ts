import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendingSettingsSchema } from '../../shared/schemas/merchant';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/** A merchant's keyword apps through the local runtime: made by API, used by text. */
let local: Local;
let key: string;
let number: string;

beforeAll(async () => {
  local = await startLocal();
  const shop = await local.newShop({
    name: '咖啡馆',
    signature: '【咖啡馆】',
    sending: sendingSettingsSchema.parse({ optOutKeywords: ['别发了'] }),
  });
  key = shop.key;
  number = shop.merchant.senderNumber;
});
afterAll(() => local?.stop());

const text = (phone: string, body: string, messageId?: string) =>
  local.sms(phone, body, { to: number, messageId });
const call = (method: string, path: string, body?: unknown) => local.call(method, path, key, body);
const member = async (phone: string) =>
  (await call('GET', `/v1/members/${encodeURIComponent(phone)}`)).body.member;

async function join(phone: string, name: string) {
  await text(phone, `注册 ${name}`);
  await local.replies(phone, 1);
}

describe('keyword apps', () => {
  it('tags the member and replies with a template, for any case and width; counts each text once; stops when disabled', async () => {
    const template = await call('POST', '/v1/templates', {
      templateId: 'vip-welcome',
      name: 'VIP welcome',
      body: '{{name}}，欢迎加入VIP会员日！',
      category: 'service',
    });
    expect(template.status).toBe(201);
    const created = await call('POST', '/v1/keyword-apps', {
      name: 'VIP会员日',
      keyword: 'VIP',
      aliases: ['贵宾'],
      action: { kind: 'tag', tag: 'vip' },
      reply: { templateId: 'vip-welcome' },
    });
    expect(created).toMatchObject({
      status: 201,
      body: {
        app: {
          keyword: 'VIP',
          enabled: true,
          uses: 0,
          reply: { text: '{{name}}，欢迎加入VIP会员日！', templateId: 'vip-welcome' },
        },
      },
    });
    const appId = created.body.app.appId;

    const phone = newPhone();
    await join(phone, '张三');
    const replayed = randomUUID();
    await text(phone, 'ＶＩＰ', replayed);
    await text(phone, 'ＶＩＰ', replayed);
    await text(phone, 'vip');
    await text(phone, '贵宾卡怎么办');
    expect((await local.replies(phone, 4)).slice(1)).toEqual(
      Array(3).fill('【咖啡馆】张三，欢迎加入VIP会员日！'),
    );
    expect((await member(phone)).tags).toEqual(['vip']);
    expect((await call('GET', `/v1/keyword-apps/${appId}`)).body.app.uses).toBe(3);

    // Someone not a member cannot be tagged, and is told how to join.
    const stranger = newPhone();
    await text(stranger, 'VIP');
    expect(await local.replies(stranger, 1)).toEqual([
      '【咖啡馆】您还不是咖啡馆会员。回复"注册 姓名"即可加入。',
    ]);

    expect(await call('PATCH', `/v1/keyword-apps/${appId}`, { enabled: false })).toMatchObject({
      status: 200,
      body: { app: { enabled: false, uses: 4 } },
    });
    await text(phone, 'VIP');
    expect((await local.replies(phone, 5))[4]).toContain('JOIN name birthday');
    expect((await call('GET', '/v1/keyword-apps')).body.apps).toEqual([
      expect.objectContaining({ appId, enabled: false, uses: 4 }),
    ]);
  });

  it('puts a member on a list by a Chinese word typed without a space', async () => {
    const created = await call('POST', '/v1/keyword-apps', {
      name: '周末活动报名',
      keyword: '周末',
      action: { kind: 'join-list', list: '周末活动' },
      reply: { text: '{{name}}，已为您报名周末活动。' },
    });
    expect(created.status).toBe(201);
    const phone = newPhone();
    await join(phone, '李四');
    await text(phone, '周末报名');
    expect((await local.replies(phone, 2))[1]).toBe('【咖啡馆】李四，已为您报名周末活动。');
    expect((await member(phone)).tags).toEqual(['list:周末活动']);
    const listed = await call('GET', `/v1/members?tag=${encodeURIComponent('list:周末活动')}`);
    expect(listed.body.members.map((m: { phone: string }) => m.phone)).toEqual([phone]);

    // Help lists the enabled apps after the system keywords; the disabled VIP app is left out.
    await text(phone, '帮助');
    const help = (await local.replies(phone, 3))[2];
    expect(help).toMatch(/^【咖啡馆】回复指令：.*反馈或建议 内容.*投诉 内容.*；另有：周末。$/);
  });

  it('grants a benefit once, answering with the merchant text, then with the reason it cannot again', async () => {
    await call('POST', '/v1/benefits', { code: 'LATTE', name: '拿铁一杯', tiers: ['silver'], limit: 'once' });
    const created = await call('POST', '/v1/keyword-apps', {
      name: '领拿铁',
      keyword: '拿铁',
      action: { kind: 'grant-benefit', code: 'LATTE' },
      reply: { text: '{{name}}，{{benefit}}已放入您的账户。' },
    });
    expect(created.status).toBe(201);
    const phone = newPhone();
    await join(phone, '王五');
    await text(phone, '拿铁');
    await text(phone, '拿铁');
    expect((await local.replies(phone, 3)).slice(1)).toEqual([
      '【咖啡馆】王五，拿铁一杯已放入您的账户。',
      expect.stringContaining('「拿铁一杯」'),
    ]);
    const claims = await call('GET', `/v1/members/${encodeURIComponent(phone)}/claims`);
    expect(claims.body.claims).toEqual([expect.objectContaining({ code: 'LATTE' })]);
  });

  it('refuses words the system or another app has, naming the word and what has it', async () => {
    const app = (keyword: string, aliases: string[] = []) =>
      call('POST', '/v1/keyword-apps', {
        name: '测试',
        keyword,
        aliases,
        action: { kind: 'reply' },
        reply: { text: '收到' },
      });
    const owner = await app('金卡', ['Gold']);
    expect(owner.status).toBe(201);
    const refusals = [
      [await app('积分'), '"积分" is the system keyword for the points balance'],
      [await app('SILVER', ['ｊｏｉｎ']), '"ｊｏｉｎ" is the system keyword for joining'],
      [await app('积分兑换'), 'starts with the system keyword "积分"'],
      [await app('反馈'), 'system keyword for feedback'],
      [await app('别发了'), 'one of your opt-out keywords'],
      [
        await app('银卡', ['金卡']),
        `"金卡" is already a word of your keyword app "测试" (${owner.body.app.appId})`,
      ],
      [await app('ｇｏｌｄ'), '"GOLD" is already a word of your keyword app "测试"'],
    ] as const;
    for (const [reply, reason] of refusals) {
      expect(reply.status).toBe(409);
      expect(reply.body.error).toMatchObject({
        code: 'keyword_taken',
        message: expect.stringContaining(reason),
      });
    }
    expect(
      (await call('PATCH', `/v1/keyword-apps/${owner.body.app.appId}`, { aliases: ['JF'] })).status,
    ).toBe(409);
  });

  it('refuses an app whose parts do not fit, with the field', async () => {
    const base = { name: '测试', keyword: 'TEST', action: { kind: 'reply' }, reply: { text: '收到' } };
    const refusals = [
      [{ ...base, reply: undefined }, 400, 'reply'],
      [{ ...base, keyword: 'two words' }, 400, 'keyword'],
      [{ ...base, aliases: ['test'] }, 400, 'same word'],
      [{ ...base, reply: { templateId: 'no-such' } }, 400, 'no template no-such'],
      [{ ...base, reply: { text: '{{nmae}}' } }, 400, 'unknown variable'],
      [{ ...base, action: { kind: 'grant-benefit', code: 'NOSUCH' } }, 400, 'no benefit NOSUCH'],
      [{ ...base, action: { kind: 'dance' } }, 400, 'action.kind'],
      [
        {
          ...base,
          reply: undefined,
          action: { kind: 'start-survey', surveyId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' },
        },
        400,
        'no survey',
      ],
    ] as const;
    for (const [body, status, reason] of refusals) {
      const reply = await call('POST', '/v1/keyword-apps', body);
      expect(reply.status, JSON.stringify(body)).toBe(status);
      expect(reply.body.error.message).toContain(reason);
    }
    expect((await call('GET', '/v1/keyword-apps/01ARZ3NDEKTSV4RRFFQ69G5FAV')).status).toBe(404);
    expect(
      (await call('PATCH', '/v1/keyword-apps/01ARZ3NDEKTSV4RRFFQ69G5FAV', { enabled: true })).status,
    ).toBe(404);
  });
});
