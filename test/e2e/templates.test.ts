import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Local, startLocal } from './support';

let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

describe('changing a template', () => {
  it('changes the fields sent; a new text goes back to pending with the provider', async () => {
    const { key, merchant } = await local.newShop();
    const path = '/v1/templates/autumn';
    await local.call('POST', '/v1/templates', key, {
      templateId: 'autumn',
      name: '秋季会员日',
      category: 'marketing',
      body: '{{name}}，秋季会员日全场八折。',
    });
    const registration = { providerTemplateId: 'SMS_1', signature: merchant.signature, status: 'approved' };
    await local.call('PUT', `${path}/registration`, key, registration);

    const renamed = await local.call('PATCH', path, key, { name: '秋季会员日（第二周）' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.template).toMatchObject({
      name: '秋季会员日（第二周）',
      body: '{{name}}，秋季会员日全场八折。',
      registration,
    });

    const rewritten = await local.call('PATCH', path, key, { body: '{{name}}，秋季会员日全场七折。' });
    expect(rewritten.body.template).toMatchObject({
      name: '秋季会员日（第二周）',
      body: '{{name}}，秋季会员日全场七折。',
      registration: { ...registration, status: 'pending' },
    });
    expect((await local.call('GET', path, key)).body.template).toEqual(rewritten.body.template);
  });

  it('refuses an empty change, a text too long and an unknown template, and changes nothing', async () => {
    const { key } = await local.newShop();
    const created = await local.call('POST', '/v1/templates', key, {
      name: '通知',
      category: 'service',
      body: '您的订单已发货。',
    });
    const path = `/v1/templates/${created.body.template.templateId}`;
    expect((await local.call('PATCH', path, key, {})).status).toBe(400);
    const tooLong = await local.call('PATCH', path, key, { body: '长'.repeat(600) });
    expect(tooLong.status).toBe(400);
    expect((await local.call('GET', path, key)).body.template).toEqual(created.body.template);
    expect((await local.call('PATCH', '/v1/templates/none', key, { name: 'x' })).status).toBe(404);
  });
});
