import type { IncomingMessage } from 'node:http';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import type { MerchantApiDeps } from '../../../functions/merchant-api/deps';
import { createHandler } from '../../../functions/merchant-api/handler';
import type { Request, Response } from '../../../functions/merchant-api/http';
import { openApiDocument } from '../../../functions/merchant-api/openapi';
import { routeRoles } from '../../../functions/merchant-api/route-roles';
import { apiGatewayEvent } from '../../../local/local-http-api';
import { lambdaContext } from '../../../local/local-lambda';
import { version } from '../../../package.json';
import { newApiKey } from '../../../shared/domain/api-keys';
import { httpRoutes } from '../../../shared/resources';
import { merchantSchema } from '../../../shared/schemas/merchant';

/** What a route did with a request before it reached a store: the body schema it parsed, whether it read a key. */
const seen = vi.hoisted(() => ({ body: undefined as z.ZodType | undefined, idempotencyKey: false }));

vi.mock('../../../functions/merchant-api/http', async (importOriginal) => {
  const http = await importOriginal<typeof import('../../../functions/merchant-api/http')>();
  return {
    ...http,
    parseBody: (_request: Request, schema: z.ZodType) => {
      seen.body = schema;
      return {};
    },
    idempotencyKeyOf: () => {
      seen.idempotencyKey = true;
      throw new Error('stopped at the idempotency key');
    },
  };
});

const document = openApiDocument();
const routeKeys = httpRoutes.map(({ method, path }) => `${method} ${path}`);
const operationOf = (routeKey: string) => {
  const [method = '', path = ''] = routeKey.split(' ');
  return document.paths[path]?.[method.toLowerCase()];
};

// Well formed, as the directory accepts only such keys; the throttle behind it is a store that throws.
const { apiKey } = newApiKey();
const merchant = merchantSchema.parse({
  merchantId: 'shop-openapi',
  name: '测试商户',
  signature: '【测试商户】',
  senderNumber: '+8610690000',
  defaultCountry: 'CN',
  timeZone: 'Asia/Shanghai',
  createdAt: '2026-01-01T00:00:00.000Z',
});

/** Deps whose stores throw at first use: a route is seen up to the point it would read or write data. */
const deps = new Proxy(
  {
    directory: { merchantByApiKey: async (key: string) => (key === apiKey ? merchant : undefined) },
    clock: () => new Date('2026-06-01T00:00:00.000Z'),
  },
  {
    get: (known, name) =>
      (known as Record<string | symbol, unknown>)[name] ??
      new Proxy(
        {},
        {
          get: (_store, method) => () => {
            throw new Error(`stopped at ${String(name)}.${String(method)}`);
          },
        },
      ),
  },
) as unknown as MerchantApiDeps;
const handler = createHandler(deps);

/** A request as API Gateway (here: the local server's translation) gives it, with sample path values. */
async function call(routeKey: string, { key, query = '' }: { key?: string; query?: string } = {}) {
  seen.body = undefined;
  seen.idempotencyKey = false;
  const [method = '', pathTemplate = ''] = routeKey.split(' ');
  const path = pathTemplate
    .replace('{phone}', '%2B8613800138000')
    .replace('{code}', 'ROAM90')
    .replace('{importId}', '01KAB5M1GZ9Y8X7W6V5T4S3R2Q');
  const headers = key ? { authorization: `Bearer ${key}` } : {};
  const request = { method, headers, socket: {} } as unknown as IncomingMessage;
  const event = apiGatewayEvent(request, new URL(`http://localhost${path}${query}`), Buffer.from('{}'));
  if (event?.routeKey !== routeKey) throw new Error(`${path} is not routed to ${routeKey}`);
  const response = (await handler(event, lambdaContext('merchant-api', 10))) as Response;
  return { status: response.statusCode, body: JSON.parse(String(response.body)) };
}

/** The JSON Schema the document should carry for a request body: zod's, without the dialect line. */
function requestSchemaOf(schema: z.ZodType) {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
  });
  return jsonSchema;
}

function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([name, inner]) =>
    name === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner),
  );
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // As a client reads it: the JSON the route sends, and a copy, since the validator resolves refs in place.
    const result = await new Validator().validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
  });

  it('names the API and its version, and asks on every route for the API key as a bearer token or a session cookie', () => {
    expect(document.info).toMatchObject({ title: 'mcrm merchant API', version });
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.session).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'mcrm_session',
    });
    expect(document.security).toEqual([{ apiKey: [] }, { session: [] }]);
  });

  it('resolves every $ref inside the document', () => {
    const refs = refsIn(document);
    expect(refs).toContain('#/components/schemas/Error');
    for (const ref of refs) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], document);
      expect(target, ref).toBeDefined();
    }
  });

  it('is built once, not per request', () => {
    expect(openApiDocument()).toBe(document);
  });

  it('documents exactly the declared routes', () => {
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...routeKeys].sort());
  });

  it.each(routeKeys)('documents %s: path parameters, a JSON answer and JSON errors', (routeKey) => {
    const operation = operationOf(routeKey);
    expect(operation?.summary).toBeTruthy();
    expect(operation?.description).toBeTruthy();
    const inPath = [...routeKey.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    const pathParameters = (operation?.parameters ?? []).filter((parameter) => parameter.in === 'path');
    expect(pathParameters.map((parameter) => parameter.name)).toEqual(inPath);
    for (const parameter of pathParameters) expect(parameter).toMatchObject({ required: true });

    const statuses = Object.keys(operation?.responses ?? {}).map(Number);
    expect(statuses.some((status) => status >= 200 && status < 300)).toBe(true);
    for (const [status, response] of Object.entries(operation?.responses ?? {})) {
      const schema = response.content?.['application/json'].schema;
      if (Number(status) >= 400) expect(schema, status).toEqual({ $ref: '#/components/schemas/Error' });
      else expect(schema?.type, status).toBe('object');
    }
  });
});

describe('the roles in the OpenAPI document', () => {
  it('names for each route the roles the role table lets call it, and none for a public route', () => {
    const documented = Object.fromEntries(
      routeKeys.map((routeKey) => [
        routeKey,
        (operationOf(routeKey) as { 'x-roles'?: string[] } | undefined)?.['x-roles'],
      ]),
    );
    const expected = Object.fromEntries(
      routeKeys.map((routeKey) => [routeKey, routeRoles[routeKey as keyof typeof routeRoles]]),
    );
    expect(documented).toEqual(expected);
    expect(documented['POST /v1/auth/code']).toBeUndefined();
    expect(documented['PUT /v1/settings/loyalty']).toEqual(['owner']);
  });
});

describe('the handlers as documented', () => {
  it.each(routeKeys)('%s asks for an API key unless documented as public', async (routeKey) => {
    const isPublic = operationOf(routeKey)?.security?.length === 0;
    const { status, body } = await call(routeKey);
    if (!isPublic) expect(body.error?.code).toBe('missing_api_key');
    // A public route that takes a body reads it (and then stops at a store here), asking for no key.
    else if (operationOf(routeKey)?.requestBody)
      expect([seen.body, status]).toEqual([expect.anything(), 500]);
    else expect(status).toBe(200);
  });

  it.each(routeKeys)(
    '%s parses the documented body and reads an idempotency key if documented',
    async (routeKey) => {
      const operation = operationOf(routeKey);
      await call(routeKey, { key: apiKey });
      const documented = operation?.requestBody?.content['application/json'].schema;
      expect(documented).toEqual(seen.body && requestSchemaOf(seen.body));
      const takesKey = (operation?.parameters ?? []).some(
        (parameter) => parameter.$ref === '#/components/parameters/IdempotencyKey',
      );
      expect(seen.idempotencyKey).toBe(takesKey);
    },
  );

  it.each(routeKeys)('%s refuses an unknown query parameter if it documents a query', async (routeKey) => {
    const documentsQuery = (operationOf(routeKey)?.parameters ?? []).some(
      (parameter) => parameter.in === 'query',
    );
    const { body } = await call(routeKey, { key: apiKey, query: '?unknownParameter=1' });
    expect(body.error?.code === 'invalid_query').toBe(documentsQuery);
  });
});
