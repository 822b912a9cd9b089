import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/**
 * Saved audiences and previews through the local runtime, as a merchant's marketing staff use
 * them. A preview reads members and changes nothing: every table is compared before and after.
 */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

/** A shop with members: two VIPs in Shanghai (one born in May), and one regular in Hangzhou. */
async function shop() {
  const { key } = await local.newShop();
  const call = (method: string, path: string, body?: unknown) => local.call(method, path, key, body);
  const vip = {
    phone: newPhone(),
    name: '王芳',
    city: '上海',
    tags: ['vip'],
    birthday: '1990-05-20',
    marketingConsent: { source: 'signed form, Xuhui store' },
  };
  const vip2 = { phone: newPhone(), name: '李雷', city: '上海', tags: ['vip', 'coffee'] };
  const regular = { phone: newPhone(), name: '张伟', city: '杭州' };
  for (const member of [vip, vip2, regular])
    expect((await call('POST', '/v1/members', member)).status).toBe(201);
  return { call, vip, vip2, regular };
}

const shanghaiVips = {
  and: [
    { field: 'tags', op: 'contains', value: 'vip' },
    { field: 'city', op: 'eq', value: '上海' },
  ],
};

describe('saved audiences', () => {
  it('saves, reads, lists and deletes an audience; another merchant finds none of it', async () => {
    const { call } = await shop();
    const other = await shop();
    const created = await call('POST', '/v1/audiences', { name: '上海VIP', definition: shanghaiVips });
    expect(created.status).toBe(201);
    const { audience } = created.body;
    expect(audience).toEqual({
      audienceId: expect.any(String),
      name: '上海VIP',
      definition: shanghaiVips,
      createdAt: expect.any(String),
    });
    const path = `/v1/audiences/${audience.audienceId}`;
    expect((await call('GET', path)).body).toEqual({ audience });
    expect((await call('GET', '/v1/audiences')).body).toEqual({ audiences: [audience] });

    expect((await other.call('GET', path)).status).toBe(404);
    expect((await other.call('DELETE', path)).status).toBe(404);
    expect(
      (await other.call('POST', '/v1/audiences/preview', { audienceId: audience.audienceId })).status,
    ).toBe(404);

    expect(await call('DELETE', path)).toEqual({
      status: 200,
      body: { audience },
    });
    expect((await call('GET', path)).body.error.code).toBe('audience_not_found');
    expect((await call('DELETE', path)).status).toBe(404);
  });

  it('changes a saved audience: its name, or its definition, which a preview then counts', async () => {
    const { call } = await shop();
    const other = await shop();
    const { audience } = (await call('POST', '/v1/audiences', { name: '上海VIP', definition: shanghaiVips }))
      .body;
    const path = `/v1/audiences/${audience.audienceId}`;
    const everyVip = { field: 'tags', op: 'contains', value: 'vip' };

    const renamed = await call('PATCH', path, { name: '上海贵宾' });
    expect(renamed.body.audience).toEqual({ ...audience, name: '上海贵宾', updatedAt: expect.any(String) });
    const redefined = await call('PATCH', path, { definition: everyVip });
    expect(redefined.body.audience).toMatchObject({ name: '上海贵宾', definition: everyVip });
    expect((await call('GET', path)).body).toEqual(redefined.body);
    const counted = await call('POST', '/v1/audiences/preview', { audienceId: audience.audienceId });
    expect(counted.body.preview.count).toBe(2);

    expect((await call('PATCH', path, {})).status).toBe(400);
    expect((await call('PATCH', path, { definition: { field: 'nope', op: 'eq', value: 1 } })).status).toBe(
      400,
    );
    expect((await other.call('PATCH', path, { name: '别人的' })).status).toBe(404);
    expect((await call('GET', path)).body).toEqual(redefined.body);
  });

  it("saves once under the client's audienceId: a repeat answers it again, another audience under it is refused", async () => {
    const { call } = await shop();
    const audienceId = '01KBZZZZZZZZZZZZZZZZZZZZZZ';
    const body = { audienceId, name: '上海VIP', definition: shanghaiVips };
    const first = await call('POST', '/v1/audiences', body);
    expect(first.status).toBe(201);
    expect(first.body.audience).toMatchObject({ audienceId, name: '上海VIP' });
    expect(await call('POST', '/v1/audiences', body)).toEqual({ status: 200, body: first.body });
    const other = await call('POST', '/v1/audiences', { ...body, name: '别的人群' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('audience_exists');
    expect((await call('GET', '/v1/audiences')).body).toEqual({ audiences: [first.body.audience] });
  });

  it('lists what a condition may test: every field with its operators and value, tiers by name', async () => {
    const { call } = await shop();
    const answer = await call('GET', '/v1/audiences/fields');
    expect(answer.status).toBe(200);
    const byName = Object.fromEntries(
      (answer.body.language.fields as { name: string }[]).map((field) => [field.name, field]),
    );
    expect(byName.tier).toMatchObject({
      ops: ['eq', 'ne', 'in', 'exists'],
      value: { kind: 'choice', choices: ['silver', 'gold', 'platinum', 'diamond'], names: { gold: '金卡' } },
    });
    expect(byName.age).toMatchObject({ value: { kind: 'integer', min: 0, max: 150 } });
    expect(byName.joinedAt).toMatchObject({ value: { kind: 'date' } });
    expect(byName.gender).toMatchObject({ value: { kind: 'choice', choices: ['female', 'male', 'other'] } });
    expect(byName.spend).toMatchObject({ windows: ['this-year', 'last-year'] });
    expect(byName['attributes.']).toMatchObject({ value: { kind: 'any' } });
    expect(answer.body.language.limits).toEqual({ depth: 6, conditions: 100, listValues: 50 });
    // Every field listed is one a definition may name: a preview on each accepts it.
    for (const field of answer.body.language.fields as {
      name: string;
      ops: string[];
      windows?: string[];
    }[]) {
      const prefixed: Record<string, string> = {
        'attributes.': 'attributes.level',
        'daysSinceStorePurchase.': 'daysSinceStorePurchase.xuhui',
      };
      const name = prefixed[field.name] ?? field.name;
      const condition = { field: name, op: 'exists', value: true, window: field.windows?.[0] };
      if (!field.ops.includes('exists')) continue;
      expect((await call('POST', '/v1/audiences/preview', { definition: condition })).status, name).toBe(200);
    }
  });

  it('refuses a definition that breaks the language with 400 naming the path, and saves nothing', async () => {
    const { call } = await shop();
    const before = await local.snapshot();
    const refused = await call('POST', '/v1/audiences', {
      name: '坏的',
      definition: {
        and: [
          { field: 'tags', op: 'eq', value: 'vip' },
          { field: 'shoeSize', op: 'gt', value: 1 },
        ],
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues).toEqual([
      { path: 'definition.and.0.op', message: expect.stringContaining('tags takes contains, in, exists') },
      { path: 'definition.and.1.field', message: expect.stringContaining('unknown field "shoeSize"') },
    ]);
    expect(await local.snapshot()).toBe(before);
  });
});

describe('POST /v1/audiences/preview', () => {
  it('counts the members a definition or a saved audience holds, with a sample, and changes nothing', async () => {
    const { call, vip, vip2 } = await shop();
    const before = await local.snapshot();
    const preview = await call('POST', '/v1/audiences/preview', { definition: shanghaiVips });
    expect(preview.status).toBe(200);
    expect(preview.body.preview.count).toBe(2);
    expect(preview.body.preview.sample.map((member: { phone: string }) => member.phone).sort()).toEqual(
      [vip.phone, vip2.phone].sort(),
    );
    for (const member of preview.body.preview.sample) {
      expect(Object.keys(member).sort()).toEqual(['memberId', 'name', 'phone', 'tier']);
    }
    expect(await local.snapshot()).toBe(before);

    const saved = await call('POST', '/v1/audiences', {
      name: '五月生日',
      definition: { field: 'birthdayMonth', op: 'eq', value: 5 },
    });
    const byId = await call('POST', '/v1/audiences/preview', {
      audienceId: saved.body.audience.audienceId,
      sampleSize: 1,
    });
    expect(byId.body.preview).toEqual({
      count: 1,
      category: 'marketing',
      reachable: 1,
      serviceNotices: 0,
      unreachable: {},
      sample: [expect.objectContaining({ phone: vip.phone, name: vip.name })],
    });
  });

  it('shows beside the total the members a campaign would reach, by its template, as send-sms decides', async () => {
    const { call } = await shop();
    const reach = async (templateId?: string) => {
      const { sample: _sample, ...preview } = (
        await call('POST', '/v1/audiences/preview', { definition: shanghaiVips, templateId })
      ).body.preview;
      return preview;
    };
    // Marketing: only the VIP who opted in.
    expect(await reach()).toEqual({
      count: 2,
      category: 'marketing',
      reachable: 1,
      serviceNotices: 0,
      unreachable: { 'no-consent': 1 },
    });
    // A template called service is marketing until the provider has registered and approved it as one.
    const template = {
      templateId: 'pickup',
      name: '取件',
      body: '{{name}}，您的订单已到店',
      category: 'service',
    };
    expect((await call('POST', '/v1/templates', template)).status).toBe(201);
    expect(await reach('pickup')).toMatchObject({ category: 'marketing', reachable: 1 });
    const registration = { providerTemplateId: 'SMS_9', signature: '【测试商户】', status: 'approved' };
    const registered = await call('PUT', '/v1/templates/pickup/registration', registration);
    expect(registered.status).toBe(200);
    expect(await reach('pickup')).toEqual({
      count: 2,
      category: 'service',
      reachable: 2,
      serviceNotices: 1,
      unreachable: {},
    });
    expect(
      (await call('POST', '/v1/audiences/preview', { definition: shanghaiVips, templateId: 'nope' })).body,
    ).toMatchObject({ error: { issues: [{ path: 'templateId' }] } });
  });

  it.each([
    [
      'both a definition and an audience id',
      { definition: shanghaiVips, audienceId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q' },
      'definition',
    ],
    ['neither', {}, 'definition'],
    ['a sample larger than 20', { definition: shanghaiVips, sampleSize: 21 }, 'sampleSize'],
    ['a malformed definition', { definition: { not: [] } }, 'definition.not'],
  ])('refuses %s with 400', async (_case, body, path) => {
    const { call } = await shop();
    const refused = await call('POST', '/v1/audiences/preview', body);
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual([path]);
  });
});
