import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPhone } from '../support';
import { type Local, startLocal } from './support';

/** A merchant's staff through the local runtime: refusals name the field that asked for them. */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

describe('staff', () => {
  it('refuses a phone already on the staff at the phone, and demoting the only owner at the role', async () => {
    const { key } = await local.newShop();
    const phone = newPhone();
    const owner = await local.call('POST', '/v1/staff', key, { phone, name: '店主', role: 'owner' });
    expect(owner.status).toBe(201);

    const again = await local.call('POST', '/v1/staff', key, { phone, name: '又一个', role: 'cashier' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'phone_taken', issues: [{ path: 'phone' }] });

    const { staffId } = owner.body.staff;
    const demoted = await local.call('PATCH', `/v1/staff/${staffId}`, key, { role: 'cashier' });
    expect(demoted.status).toBe(409);
    expect(demoted.body.error).toMatchObject({
      code: 'last_owner',
      issues: [{ path: 'role', message: demoted.body.error.message }],
    });
    const removed = await local.call('DELETE', `/v1/staff/${staffId}`, key);
    expect(removed.status).toBe(409);
    expect(removed.body.error.code).toBe('last_owner');
    expect(removed.body.error.issues).toBeUndefined();
  });
});
