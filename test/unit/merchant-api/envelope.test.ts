import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/merchant-api/openapi';

/**
 * One envelope for every answer, read from the served document: a resource under its name
 * (`{"member": …}`), a list under the plural with its `cursor`. What may stand beside the resource is
 * named here, each for one reason.
 */
const besides: Record<string, string> = {
  cursor: 'where the next page of a list starts',
  replayed: 'a repeat of an idempotent request',
  changed: 'whether a consent change recorded anything',
  balances: "the member's balances after a ledger entry",
  upload: 'where to put an import file',
  apiKey: 'a new key, shown once',
  timeZone: 'the zone the sending settings and recurring schedules are read in (set with the shop)',
};

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
}

function answers(): [string, Schema][] {
  const found: [string, Schema][] = [];
  for (const [path, operations] of Object.entries(openApiDocument().paths)) {
    if (path === '/v1/openapi.json') continue;
    for (const [method, operation] of Object.entries(operations as Record<string, { responses: object }>)) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 300) continue;
        const schema = (response as { content?: Record<string, { schema: Schema }> }).content?.[
          'application/json'
        ]?.schema;
        found.push([`${method.toUpperCase()} ${path} ${status}`, schema ?? {}]);
      }
    }
  }
  return found;
}

const isResource = (schema: Schema): boolean =>
  schema.type === 'object' || schema.type === 'array' || (schema.anyOf ?? []).every(isResource);

describe('every answer of the merchant API', () => {
  it('holds one resource or one list under its name, and beside it only what is named for a reason', () => {
    const astray = answers().flatMap(([answer, schema]) => {
      const names = Object.keys(schema.properties ?? {});
      const resources = names.filter((name) => !(name in besides));
      const shaped = resources.length === 1 && isResource(schema.properties?.[resources[0] as string] ?? {});
      return shaped ? [] : [`${answer}: ${names.join(', ')}`];
    });
    expect(astray).toEqual([]);
  });

  it('has been read: there are answers of every kind', () => {
    const kinds = new Set(answers().map(([answer]) => answer.split(' ')[0]));
    expect([...kinds].sort()).toEqual(['DELETE', 'GET', 'PATCH', 'POST', 'PUT']);
  });
});
