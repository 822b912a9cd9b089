import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readCampaignStats } from '../../../shared/store/campaign-stats';
import { newPhone } from '../../support';
import { campaignText, complianceWorld, env, serviceText } from './support';

describe('opt-out by text', () => {
  it.each(['退订', 'ＴＤ', 'ｔｄ。', 'Ｔ', 'ｎ', 'Ｒ！', 'Ｓｔｏｐ！', 'sToP', 'ＵｎＳｕＢｓＣｒＩｂＥ'])(
    '%j opts a member out, confirmed once',
    async (keyword) => {
      const world = await complianceWorld();
      const phone = newPhone();
      await world.text(phone, '注册');
      await world.text(phone, keyword);
      await world.text(phone, keyword);
      expect(world.queued.map((sms) => sms.body)).toEqual([
        expect.stringContaining('欢迎加入'),
        expect.stringMatching(/您已退订|no more offers/),
      ]);
      expect((await world.stores.members.contact(world.merchant.merchantId, phone)).marketing).toMatchObject({
        status: 'unsubscribed',
        source: keyword,
      });
    },
  );

  it("opts out on the merchant's own word", async () => {
    const world = await complianceWorld();
    await world.stores.directory.setSending(world.merchant.merchantId, {
      ...world.merchant.sending,
      optOutKeywords: ['不要再发'],
    });
    const phone = newPhone();
    await world.text(phone, '注册');
    await world.text(phone, '不要再发！');
    expect((await world.stores.members.contact(world.merchant.merchantId, phone)).marketing).toMatchObject({
      status: 'unsubscribed',
      keyword: '不要再发',
    });
  });

  it('stops a campaign text queued before the opt-out, and still sends service texts', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    await world.text(phone, '注册 李四');
    const queuedBefore = campaignText(world.merchant, phone, `C-${randomUUID()}`);
    await world.text(phone, 'Ｓｔｏｐ！');

    const delivered = await world.send(queuedBefore, serviceText(world.merchant, phone));
    expect(delivered.map((text) => [text.to, text.category])).toEqual([[phone, 'service']]);
  });

  it('counts an opt-out answering a campaign text in its stats once, however often the text arrives', async () => {
    const world = await complianceWorld();
    const phone = newPhone();
    const campaignId = `C-${randomUUID()}`;
    await world.text(phone, '注册');
    expect(await world.send(campaignText(world.merchant, phone, campaignId))).toHaveLength(1);
    const messageId = randomUUID();
    await world.text(phone, 'TD', messageId);
    await world.text(phone, 'TD', messageId);

    const stats = await readCampaignStats(
      env.dynamo(),
      env.table('campaigns'),
      world.merchant.merchantId,
      campaignId,
    );
    expect(stats.optOuts).toBe(1);
    expect((await world.stores.members.contact(world.merchant.merchantId, phone)).marketing).toMatchObject({
      status: 'unsubscribed',
      campaignId,
    });
  });
});
