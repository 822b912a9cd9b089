import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/merchant-api/openapi';

/**
 * The served document, compared with the one committed in test/fixtures/openapi.json: a change to any
 * summary, description, parameter or schema fails here until `npm run openapi:snapshot` rewrites it.
 */
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/openapi.json', import.meta.url), 'utf8'));

/**
 * Object keys sorted at every level: their order means nothing in JSON. Arrays keep their order
 * (parameters, enum values and `anyOf` branches are shown to integrators in it) except `required`,
 * which names properties: its order only follows the properties' own, which is already ignored.
 */
function canonical(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item));
    return key === 'required' ? items.sort() : items;
  }
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((name) => [name, canonical((value as Record<string, unknown>)[name], name)]),
  );
}

describe('the OpenAPI document as served', () => {
  it('is the committed document (npm run openapi:snapshot after a deliberate API change)', () => {
    // As a client reads it: the JSON the route sends.
    const served = JSON.parse(JSON.stringify(openApiDocument()));
    expect(canonical(served)).toEqual(canonical(fixture));
  });

  it('takes only the order of keys and of `required` as no change', () => {
    const schema = { type: 'object', required: ['phone', 'name'], properties: { phone: {}, name: {} } };
    expect(canonical(schema)).toEqual(
      canonical({ properties: { name: {}, phone: {} }, required: ['name', 'phone'], type: 'object' }),
    );
    expect(canonical({ enum: ['points', 'storedValue'] })).not.toEqual(
      canonical({ enum: ['storedValue', 'points'] }),
    );
    expect(canonical({ description: 'The member' })).not.toEqual(canonical({ description: 'The member.' }));
    expect(canonical(schema)).not.toEqual(canonical({ ...schema, required: ['phone'] }));
  });
});
