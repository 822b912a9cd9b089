import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../../package.json';
import { type Local, startLocal } from './support';

/** The OpenAPI document as an integrator fetches it from the local runtime, before they have a key. */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

describe('GET /v1/openapi.json', () => {
  it('answers without an API key, with the package version', async () => {
    const { status, body } = await local.call('GET', '/v1/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.info).toMatchObject({ title: 'mcrm merchant API', version });
  });

  it('documents only routes the server answers, each asking for a key unless public', async () => {
    const { body } = await local.call('GET', '/v1/openapi.json');
    type Operation = { security?: []; requestBody?: unknown };
    for (const [path, operations] of Object.entries<Record<string, Operation>>(body.paths)) {
      const concrete = path.replace('{phone}', '%2B8613800138000').replace('{code}', 'ROAM90');
      for (const [method, operation] of Object.entries(operations)) {
        const reply = await local.call(method.toUpperCase(), concrete);
        // A public route that takes a body (the sign-in steps) answers that it has none, not 401.
        const expected = operation.security?.length !== 0 ? 401 : operation.requestBody ? 400 : 200;
        expect(reply.status, `${method.toUpperCase()} ${path}`).toBe(expected);
      }
    }
  });
});
