import * as z from 'zod';
import { version } from '../../package.json';
import { sessionCookieName } from '../../shared/domain/sign-in';
import type { Role } from '../../shared/domain/staff';
import { httpRoutes } from '../../shared/resources';
import { apiKeyRouteDocs } from './api-keys';
import { audienceRouteDocs } from './audiences';
import { auditRouteDocs } from './audit';
import { callerRefusals, csrfHeader } from './auth';
import { benefitRouteDocs } from './benefits';
import { campaignRouteDocs } from './campaign-docs';
import { careRouteDocs } from './care';
import { carePreviewRouteDocs } from './care-preview';
import { consentRouteDocs } from './consent';
import { cardProductRouteDocs } from './count-card-products';
import { couponRouteDocs } from './coupons';
import { dailyStatsRouteDocs } from './daily-stats';
import { idempotencyKeySchema, json, maxBodyBytes, type Request, type Response } from './http';
import { importRouteDocs } from './imports';
import { keywordAppRouteDocs } from './keyword-apps';
import { ledgerRouteDocs } from './ledger';
import { memberCountCardRouteDocs } from './member-count-cards';
import { memberRightsRouteDocs } from './member-rights';
import { memberTagRouteDocs } from './member-tags';
import { memberRouteDocs } from './members';
import { packageRouteDocs } from './packages';
import { referralRouteDocs } from './referrals';
import { reminderRouteDocs } from './reminders';
import { retentionRouteDocs } from './retention';
import { everyRouteDoc, type Operation, type RouteDocsOf } from './route-docs';
import { isPublicRoute, type MerchantRouteKey, type RouteKey } from './route-keys';
import { routeRoles } from './route-roles';
import { settingsRouteDocs } from './settings';
import { signInRouteDocs } from './sign-in';
import { staffRouteDocs } from './staff';
import { refundRouteDocs } from './stored-value-refund';
import { storeRouteDocs } from './stores';
import { surveyRouteDocs } from './surveys';
import { templateRouteDocs } from './templates';
import { ticketRouteDocs } from './tickets';

/**
 * The merchant API as an OpenAPI 3.1 document, served at `GET /v1/openapi.json`. Request schemas
 * are the zod schemas the routes parse, so the document cannot describe a body the API refuses.
 */

/** The body of every error: `HttpError` in http.ts, as `httpErrors()` writes it. */
const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

const openApiRouteDocs: RouteDocsOf<'GET /v1/openapi.json'> = {
  'GET /v1/openapi.json': {
    summary: 'This document',
    description: 'The merchant API as an OpenAPI 3.1 document. No API key needed.',
    responses: {
      200: {
        description: 'The OpenAPI document',
        body: z.looseObject({ openapi: z.literal('3.1.0') }),
      },
    },
    errors: {},
  },
};

/** Each route's documentation lives beside the route; here they are gathered, each route once. */
const routeDocs = everyRouteDoc(
  memberRouteDocs,
  memberTagRouteDocs,
  packageRouteDocs,
  ledgerRouteDocs,
  refundRouteDocs,
  benefitRouteDocs,
  couponRouteDocs,
  cardProductRouteDocs,
  memberCountCardRouteDocs,
  settingsRouteDocs,
  careRouteDocs,
  carePreviewRouteDocs,
  importRouteDocs,
  reminderRouteDocs,
  campaignRouteDocs,
  consentRouteDocs,
  memberRightsRouteDocs,
  templateRouteDocs,
  audienceRouteDocs,
  retentionRouteDocs,
  surveyRouteDocs,
  ticketRouteDocs,
  keywordAppRouteDocs,
  apiKeyRouteDocs,
  staffRouteDocs,
  storeRouteDocs,
  signInRouteDocs,
  auditRouteDocs,
  referralRouteDocs,
  dailyStatsRouteDocs,
  openApiRouteDocs,
);

type JsonSchema = Record<string, unknown>;

interface OpenApiOperation {
  summary: string;
  description: string;
  parameters?: JsonSchema[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<
    string,
    { description: string; content?: { 'application/json': { schema: JsonSchema } } }
  >;
  security?: [];
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: { Error: JsonSchema };
    parameters: { IdempotencyKey: JsonSchema };
    securitySchemes: {
      apiKey: { type: 'http'; scheme: 'bearer'; description: string };
      session: { type: 'apiKey'; in: 'cookie'; name: string; description: string };
    };
  };
  security: [{ apiKey: [] }, { session: [] }];
}

/** OpenAPI 3.1 schemas are JSON Schema 2020-12: requests as the API reads them, answers as it writes them. */
function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
  // A `#/$defs/…` reference would resolve against the document's root, not the schema's.
  if ('$defs' in jsonSchema) throw new Error('schemas in the OpenAPI document must not need $defs');
  return jsonSchema;
}

const jsonContent = (schema: JsonSchema) => ({ 'application/json': { schema } });
const errorAnswer = (description: string) => ({
  description,
  content: jsonContent({ $ref: '#/components/schemas/Error' }),
});

/** Query strings are flat: each property of the route's query schema is one parameter. */
function queryParameters(query: z.ZodObject | undefined): JsonSchema[] {
  if (!query) return [];
  const { properties = {}, required = [] } = jsonSchemaOf(query, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    schema,
  }));
}

function operationOf(
  doc: Operation & { pathParameters?: Record<string, string> },
  roles: readonly Role[] | undefined,
): OpenApiOperation {
  const isPublic = roles === undefined;
  const parameters = [
    ...Object.entries(doc.pathParameters ?? {}).map(([name, description]) => ({
      name,
      in: 'path',
      required: true,
      description,
      schema: { type: 'string' },
    })),
    ...queryParameters(doc.query),
    ...(doc.idempotencyKey ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : []),
  ];
  const responses: OpenApiOperation['responses'] = {};
  for (const [status, { description, body }] of Object.entries(doc.responses)) {
    responses[status] = { description, content: jsonContent(jsonSchemaOf(body, 'output')) };
  }
  for (const [status, description] of Object.entries(doc.errors))
    responses[status] = errorAnswer(description);
  if (!isPublic) {
    responses[401] = errorAnswer(callerRefusals[401]);
    responses[403] = errorAnswer(
      doc.errors[403] ? `${doc.errors[403]}; or ${callerRefusals[403]}` : callerRefusals[403],
    );
    responses[429] = errorAnswer(callerRefusals[429]);
  }
  if (doc.body) responses[413] = errorAnswer(`The body is larger than ${maxBodyBytes} bytes`);
  return {
    summary: doc.summary,
    description: doc.description,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body
      ? {
          requestBody: {
            required: !doc.optionalBody,
            content: jsonContent(jsonSchemaOf(doc.body, 'input')),
          },
        }
      : {}),
    responses,
    ...(roles ? { 'x-roles': roles } : { security: [] }),
  };
}

function buildDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const { method, path } of httpRoutes) {
    const routeKey = `${method} ${path}` as RouteKey;
    const operation = operationOf(
      routeDocs[routeKey],
      isPublicRoute(routeKey) ? undefined : routeRoles[routeKey as MerchantRouteKey],
    );
    paths[path] = { ...paths[path], [method.toLowerCase()]: operation };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'mcrm merchant API',
      version,
      description:
        'Manage members, points, stored value and benefits. Send your API key as ' +
        '`Authorization: Bearer <API key>`: you act as the owner of the merchant who owns it; or sign in ' +
        'as staff (`POST /v1/auth/code`, then `POST /v1/auth/session`) and act in your role. Errors are JSON: ' +
        '`{"error": {"code", "message", "issues"?}}`.',
    },
    paths,
    components: {
      schemas: { Error: jsonSchemaOf(errorSchema, 'output') },
      parameters: {
        IdempotencyKey: {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description:
            'Names this operation, e.g. the order id. A retry with the same key does nothing more and ' +
            'answers 200 with `replayed: true`; the same key for a different operation is refused (409). ' +
            'Required, unless the body carries it as `idempotencyKey`.',
          schema: jsonSchemaOf(idempotencyKeySchema, 'input'),
        },
      },
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'The API key `npm run merchant` prints' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: sessionCookieName,
          description: `A staff member's session, set by \`POST /v1/auth/session\`; changes need \`${csrfHeader}: 1\``,
        },
      },
    },
    security: [{ apiKey: [] }, { session: [] }],
  };
}

let document: OpenApiDocument | undefined;

/** Built on first use, once per process: the schemas do not change while it runs. */
export function openApiDocument(): OpenApiDocument {
  document ??= buildDocument();
  return document;
}

/** `GET /v1/openapi.json`: public, so it takes no merchant. */
export async function serveOpenApiDocument(_request: Request): Promise<Response> {
  return json(200, openApiDocument());
}
