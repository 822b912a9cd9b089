import { describe, expect, it } from 'vitest';
import { complianceWorld } from './support';

const sale = {
  templateId: 'double-twelve',
  name: '双十二',
  body: '{{name}}，双十二会员日全场八折，凭短信到店享受。',
  category: 'marketing',
};

describe('message templates', () => {
  it('saves, lists, registers and deletes a template; another merchant sees none of it', async () => {
    const world = await complianceWorld();
    const created = await world.call('POST', '/v1/templates', sale);
    expect(created).toMatchObject({ status: 201, body: { template: { ...sale } } });
    expect(created.body.template.merchantId).toBeUndefined();
    expect((await world.call('POST', '/v1/templates', sale)).status).toBe(409);

    const registration = {
      providerTemplateId: 'SMS_1234567',
      signature: world.merchant.signature,
      status: 'approved',
    };
    const registered = await world.call('PUT', '/v1/templates/double-twelve/registration', registration);
    expect(registered).toMatchObject({ status: 200, body: { template: { registration } } });
    expect(await world.stores.templates.get(world.merchant.merchantId, 'double-twelve')).toMatchObject({
      registration,
    });

    const other = await complianceWorld();
    expect((await other.call('GET', '/v1/templates/double-twelve')).status).toBe(404);
    expect((await other.call('DELETE', '/v1/templates/double-twelve')).status).toBe(404);
    expect((await other.call('GET', '/v1/templates')).body.templates).toEqual([]);

    expect((await world.call('DELETE', '/v1/templates/double-twelve')).status).toBe(200);
    expect((await world.call('GET', '/v1/templates/double-twelve')).status).toBe(404);
  });

  it('lists templates a page at a time', async () => {
    const world = await complianceWorld();
    for (const id of ['a-1', 'a-2', 'a-3']) {
      await world.call('POST', '/v1/templates', { ...sale, templateId: id });
    }
    const first = await world.call('GET', '/v1/templates?limit=2');
    expect(first.body.templates.map((t: { templateId: string }) => t.templateId)).toEqual(['a-1', 'a-2']);
    const second = await world.call('GET', `/v1/templates?limit=2&cursor=${first.body.cursor}`);
    expect(second.body.templates.map((t: { templateId: string }) => t.templateId)).toEqual(['a-3']);
  });

  it('makes up an id when none is given', async () => {
    const world = await complianceWorld();
    const { templateId: _id, ...withoutId } = sale;
    const created = await world.call('POST', '/v1/templates', withoutId);
    expect(created.body.template.templateId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('refuses a registration under another signature, and a template with unknown placeholders', async () => {
    const world = await complianceWorld();
    await world.call('POST', '/v1/templates', sale);
    const wrong = await world.call('PUT', '/v1/templates/double-twelve/registration', {
      providerTemplateId: 'SMS_1',
      signature: '【别家店铺】',
      status: 'approved',
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'signature' }] } } });
    expect(
      (await world.stores.templates.get(world.merchant.merchantId, 'double-twelve'))?.registration,
    ).toBeUndefined();

    const typo = await world.call('POST', '/v1/templates', {
      ...sale,
      templateId: 'typo',
      body: '{{nmae}}您好',
    });
    expect(typo.status).toBe(400);
    expect(typo.body.error.message).toContain('unknown variable {{nmae}}');
  });

  it('previews a text as sent: signed, with the unsubscribe line, its parts and cost per recipient', async () => {
    const world = await complianceWorld();
    await world.call('POST', '/v1/templates', sale);
    const preview = await world.call('POST', '/v1/templates/preview', {
      templateId: 'double-twelve',
      values: { name: '张三' },
    });
    const text = `【测试商户】张三，双十二会员日全场八折，凭短信到店享受。回复TD退订`;
    expect(preview).toMatchObject({
      status: 200,
      body: {
        preview: {
          text,
          category: 'marketing',
          encoding: 'UCS-2',
          length: text.length,
          parts: 1,
          pricePerPartFen: 4.5,
          costPerRecipientFen: 4.5,
        },
      },
    });

    const long = await world.call('POST', '/v1/templates/preview', {
      body: '会'.repeat(140),
      category: 'service',
    });
    expect(long.body.preview).toMatchObject({ length: 146, parts: 3, costPerRecipientFen: 13.5 });
  });

  it('refuses a text over 500 characters as sent, in a preview and at creation', async () => {
    const world = await complianceWorld();
    // 490 characters: under the template limit, over the carriers' once signed and given the unsubscribe line.
    const body = '惠'.repeat(490);
    const preview = await world.call('POST', '/v1/templates/preview', { body });
    expect(preview).toMatchObject({ status: 400, body: { error: { code: 'text_too_long' } } });
    expect(preview.body.error.message).toContain('503 characters');
    const created = await world.call('POST', '/v1/templates', { ...sale, body });
    expect(created).toMatchObject({ status: 400, body: { error: { code: 'text_too_long' } } });
    expect(await world.stores.templates.get(world.merchant.merchantId, 'double-twelve')).toBeUndefined();

    const service = await world.call('POST', '/v1/templates', { ...sale, body, category: 'service' });
    expect(service.status).toBe(201);
  });
});
