import { randomUUID } from 'node:crypto';
import { ulid } from 'ulidx';
import { describe, expect, it } from 'vitest';
import { appWordCandidates } from '../../../shared/domain/keyword-app';
import type { KeywordApp } from '../../../shared/schemas/keyword-app';
import { keywordAppsStore } from '../../../shared/store/keyword-apps';
import { newMerchant, newPhone, testEnv } from '../../support';

const env = testEnv();
const apps = keywordAppsStore(env.dynamo(), env.table('engagement'));
const at = new Date('2026-11-23T03:00:00.000Z');

const shop = async () => (await newMerchant(env)).merchant.merchantId;
const newApp = (merchantId: string, fields: Partial<KeywordApp> = {}): KeywordApp => ({
  merchantId,
  appId: ulid(),
  name: '会员日',
  keyword: 'VIP',
  aliases: [],
  action: { kind: 'tag', tag: 'vip' },
  reply: { text: '{{name}}，您已加入VIP' },
  enabled: true,
  uses: 0,
  createdAt: at.toISOString(),
  updatedAt: at.toISOString(),
  ...fields,
});
const use = (merchantId: string, app: KeywordApp, inboundMessageId: string = randomUUID()) =>
  apps.recordUse(merchantId, app.appId, { inboundMessageId, phone: newPhone(), at });

describe('keyword apps store', () => {
  it('finds an app by any of its words, folded as texts are, with keyed reads', async () => {
    const merchantId = await shop();
    const app = newApp(merchantId, { keyword: 'ｖｉｐ', aliases: ['会员', 'gold'] });
    expect(await apps.create(app)).toEqual({ status: 'saved', app });
    for (const text of ['VIP', 'vip 张三', 'ＧＯＬＤ', '会员日到了']) {
      expect((await apps.appFor(merchantId, appWordCandidates(text)))?.appId, text).toBe(app.appId);
    }
    expect(await apps.appFor(merchantId, appWordCandidates('VIPS'))).toBeUndefined();
    expect(await apps.appFor(await shop(), ['VIP'])).toBeUndefined();
    expect(await apps.get(merchantId, app.appId)).toEqual(app);
  });

  it('prefers the longest word a text starts with', async () => {
    const merchantId = await shop();
    const short = newApp(merchantId, { keyword: '会员' });
    const long = newApp(merchantId, { keyword: '会员日' });
    await apps.create(short);
    await apps.create(long);
    expect((await apps.appFor(merchantId, appWordCandidates('会员日抽奖')))?.appId).toBe(long.appId);
    expect((await apps.appFor(merchantId, appWordCandidates('会员卡')))?.appId).toBe(short.appId);
  });

  it('lets no two apps hold one word, naming the app that has it, even when created at once', async () => {
    const merchantId = await shop();
    const first = newApp(merchantId, { name: '金卡', keyword: 'GOLD', aliases: ['金卡'] });
    await apps.create(first);
    const second = newApp(merchantId, { keyword: 'VIP', aliases: ['gold'] });
    expect(await apps.create(second)).toEqual({
      status: 'word-taken',
      word: 'GOLD',
      owner: { appId: first.appId, name: '金卡' },
    });
    expect(await apps.get(merchantId, second.appId)).toBeUndefined();
    expect(await apps.appFor(merchantId, ['VIP'])).toBeUndefined();

    const racing = Array.from({ length: 4 }, () => newApp(merchantId, { keyword: 'RACE' }));
    const outcomes = await Promise.all(racing.map((app) => apps.create(app)));
    expect(outcomes.filter((o) => o.status === 'saved')).toHaveLength(1);
  });

  it('moves words on update: freed words are free, new ones taken, the use count kept', async () => {
    const merchantId = await shop();
    const app = newApp(merchantId, { keyword: 'VIP', aliases: ['金卡'] });
    await apps.create(app);
    await use(merchantId, app);
    const updated = await apps.update(merchantId, app.appId, (current) => ({
      ...current,
      aliases: ['GOLD'],
      enabled: false,
      reply: undefined,
      action: { kind: 'reply' },
      name: '改名',
    }));
    expect(updated).toMatchObject({ status: 'saved', app: { aliases: ['GOLD'], enabled: false, uses: 1 } });
    const stored = await apps.get(merchantId, app.appId);
    expect(stored).toMatchObject({ name: '改名', enabled: false, uses: 1, action: { kind: 'reply' } });
    expect(stored?.reply).toBeUndefined();
    expect((await apps.appFor(merchantId, ['GOLD']))?.appId).toBe(app.appId);
    expect(await apps.appFor(merchantId, ['金卡'])).toBeUndefined();
    const other = newApp(merchantId, { keyword: '金卡' });
    expect((await apps.create(other)).status).toBe('saved');
    expect(
      await apps.update(merchantId, app.appId, (current) => ({ ...current, keyword: '金卡' })),
    ).toMatchObject({
      status: 'word-taken',
      word: '金卡',
      owner: { appId: other.appId },
    });
    expect(await apps.update(merchantId, ulid(), (current) => current)).toEqual({ status: 'not-found' });
  });

  it('counts each inbound text once, atomically, while the merchant edits the app', async () => {
    const merchantId = await shop();
    const app = newApp(merchantId);
    await apps.create(app);
    const texts = Array.from({ length: 6 }, () => randomUUID());
    const outcomes = await Promise.all([
      ...texts.map((id) => use(merchantId, app, id)),
      ...texts.map((id) => use(merchantId, app, id)),
      apps.update(merchantId, app.appId, (current) => ({ ...current, name: 'renamed' })),
    ]);
    expect(outcomes.filter((o) => o === 'counted')).toHaveLength(6);
    expect(await apps.get(merchantId, app.appId)).toMatchObject({ uses: 6, name: 'renamed' });
  });

  it('deletes the app and frees its words', async () => {
    const merchantId = await shop();
    const app = newApp(merchantId, { aliases: ['会员'] });
    await apps.create(app);
    expect(await apps.delete(merchantId, app.appId)).toMatchObject({ appId: app.appId, name: app.name });
    expect(await apps.delete(merchantId, app.appId)).toBeUndefined();
    expect(await apps.appFor(merchantId, ['VIP', '会员'])).toBeUndefined();
    expect((await apps.create(newApp(merchantId, { aliases: ['会员'] }))).status).toBe('saved');
  });

  it('lists apps oldest first, a page at a time', async () => {
    const merchantId = await shop();
    const made = ['A1', 'A2', 'A3'].map((keyword, i) =>
      newApp(merchantId, { keyword, appId: ulid(at.getTime() + i) }),
    );
    for (const app of made) await apps.create(app);
    const first = await apps.list(merchantId, { limit: 2 });
    const rest = await apps.list(merchantId, { limit: 2, cursor: first.cursor });
    expect([...first.apps, ...rest.apps].map((a) => a.appId)).toEqual(made.map((a) => a.appId));
  });
});
