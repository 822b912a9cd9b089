import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantRouteKey } from '../../functions/merchant-api/route-keys';
import { routeRoles } from '../../functions/merchant-api/route-roles';
import { type Role, roles } from '../../shared/domain/staff';
import { newPhone } from '../support';
import { type Local, type Reply, startLocal } from './support';

/**
 * The role table (routes.ts) read back through the running API: every route it lists, called by a
 * member of staff in every role and by an API key (which acts as the owner), is refused with 403
 * `role_forbidden` exactly where the table leaves the role out. Path ids are well formed but
 * nobody's and bodies are empty, so a call a role may make is refused for its input, not its role,
 * and changes nothing.
 */
let local: Local;
let apiKey: string;
const cookies = {} as Record<Role, string>;

const sampleIds: Record<string, string> = {
  phone: '+8613800000001',
  code: 'NOSUCH',
  couponCode: 'ZZZZZZZZ',
  importId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
  reminderId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
  templateId: 'no-such-template',
  audienceId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
  campaignId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
  ruleId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
  surveyId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
  ticketId: '999999',
  appId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
  keyId: '0123456789abcdef',
  staffId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
  productId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
  cardId: '01KAB5M1GZ9Y8X7W6V5T4S3R2Q',
};

/** The route with sample ids; signing out is called last, as it ends the session. */
const routes = (Object.keys(routeRoles) as MerchantRouteKey[]).sort(
  (a, b) => Number(a === 'DELETE /v1/auth/session') - Number(b === 'DELETE /v1/auth/session'),
);

async function call(routeKey: MerchantRouteKey, headers: Record<string, string>): Promise<Reply> {
  const [method = '', template = ''] = routeKey.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(sampleIds[name] ?? name),
  );
  for (;;) {
    const reply = await local.call(method, path, undefined, undefined, headers);
    if (reply.status !== 429) return reply;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

beforeAll(async () => {
  local = await startLocal();
  const shop = await local.newShop();
  apiKey = shop.key;
  for (const role of roles) {
    const phone = newPhone();
    const added = await local.call('POST', '/v1/staff', apiKey, { phone, name: `${role}员`, role });
    expect(added.status).toBe(201);
    cookies[role] = await local.signIn(phone);
  }
});
afterAll(() => local?.stop());

describe('the role table', () => {
  it('gives every route at least the owner', () => {
    expect(routes.filter((route) => !routeRoles[route].includes('owner'))).toEqual([]);
  });

  it.each(roles)(
    'refuses %s exactly the routes the table leaves the role out of',
    async (role) => {
      const wrong: string[] = [];
      for (const route of routes) {
        const reply = await call(route, { cookie: cookies[role], 'x-mcrm-csrf': '1' });
        const refused = reply.status === 403 && reply.body.error?.code === 'role_forbidden';
        if (refused === routeRoles[route].includes(role))
          wrong.push(`${route}: ${reply.status} ${JSON.stringify(reply.body)}`);
      }
      expect(wrong).toEqual([]);
    },
    120_000,
  );

  it('lets an API key call every route, as the owner', async () => {
    const refused: string[] = [];
    for (const route of routes) {
      const reply = await call(route, { authorization: `Bearer ${apiKey}` });
      if (reply.status === 403 && reply.body.error?.code === 'role_forbidden') refused.push(route);
    }
    expect(refused).toEqual([]);
  }, 120_000);
});
