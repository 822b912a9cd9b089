import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import { idempotencyKeyPattern } from '../../shared/domain/ledger';
import { toMobileE164 } from '../../shared/domain/phone';
import { logger } from '../../shared/log';
import { issueText } from '../../shared/schemas/issue-text';
import type { Merchant } from '../../shared/schemas/merchant';
import { storableNumberRule, unstorableNumberPath } from '../../shared/schemas/storable-number';

export type Request = APIGatewayProxyEventV2;
export type Response = APIGatewayProxyStructuredResultV2;

/** A request the merchant must change: the status and a reason they can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const maxBodyBytes = 16 * 1024;

export function json(status: number, body: unknown): Response {
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** The JSON body, checked against a schema; every problem is reported with its field. */
export function parseBody<Schema extends z.ZodType>(request: Request, schema: Schema): z.infer<Schema> {
  const raw = request.body
    ? Buffer.from(request.body, request.isBase64Encoded ? 'base64' : 'utf8')
    : undefined;
  if (!raw || raw.length === 0) throw new HttpError(400, 'missing_body', 'the request needs a JSON body');
  if (raw.length > maxBodyBytes) {
    throw new HttpError(
      413,
      'body_too_large',
      `the body is ${raw.length} bytes; the limit is ${maxBodyBytes}`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
  // Checked for every body, whatever its schema: the write would fail after the request was accepted.
  const unstorable = unstorableNumberPath(value);
  if (unstorable) {
    const issue = { path: unstorable.join('.') || '(body)', message: storableNumberRule };
    throw new HttpError(400, 'invalid_body', `${issue.path}: ${issue.message}`, [issue]);
  }
  const result = schema.safeParse(value);
  if (!result.success) throw refusedInput('invalid_body', result.error.issues, '(body)');
  return result.data;
}

/** A 400 naming each problem with its field (`wholeInput` when it is the input as a whole). */
export function refusedInput(
  code: string,
  zodIssues: readonly z.core.$ZodIssue[],
  wholeInput: string,
): HttpError {
  const issues = zodIssues.map((issue) => ({
    path: issue.path.join('.') || wholeInput,
    message: issue.message,
  }));
  return new HttpError(400, code, issues.map((i) => issueText(i.path, i.message)).join('; '), issues);
}

/** The query string, checked like a body: every problem reported with its parameter. */
/** `limit` (a whole number, 1 to `max`) and `cursor` of a listing read a page at a time. */
export function pageQuery<Cursor extends z.ZodType>(cursor: Cursor, defaultLimit: number, max = 100) {
  return {
    limit: z
      .string()
      .regex(/^\d+$/, `limit: a whole number from 1 to ${max}`)
      .transform(Number)
      .pipe(z.number().min(1, 'limit: at least 1').max(max, `limit: at most ${max}`))
      .default(defaultLimit),
    cursor: cursor.optional(),
  };
}

export function parseQuery<Schema extends z.ZodType>(request: Request, schema: Schema): z.infer<Schema> {
  const result = schema.safeParse(request.queryStringParameters ?? {});
  if (result.success) return result.data;
  throw refusedInput('invalid_query', result.error.issues, '(query)');
}

export const idempotencyKeySchema = z
  .string()
  .regex(idempotencyKeyPattern, 'idempotency key: 1-128 letters, digits or _ . : -');

/** The operation's idempotency key: the `Idempotency-Key` header, or `idempotencyKey` in the body. */
export function idempotencyKeyOf(header: string | undefined, inBody: string | undefined): string {
  if (header !== undefined && inBody !== undefined && header !== inBody) {
    throw new HttpError(
      400,
      'invalid_idempotency_key',
      'the Idempotency-Key header and idempotencyKey differ',
    );
  }
  const raw = header ?? inBody;
  if (raw === undefined) {
    throw new HttpError(
      400,
      'missing_idempotency_key',
      'send an Idempotency-Key header naming this operation, e.g. the order id',
    );
  }
  const key = idempotencyKeySchema.safeParse(raw);
  if (!key.success)
    throw new HttpError(400, 'invalid_idempotency_key', key.error.issues[0]?.message ?? 'invalid');
  return key.data;
}

/** The credential in `Authorization: Bearer <key>`, if the header has that form. */
export function bearerToken(request: Request): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** The member phone in the path, read in the merchant's default country. */
export function phoneParam(request: Request, merchant: Merchant): string {
  const phone = toMobileE164(safeDecode(request.pathParameters?.phone ?? ''), merchant.defaultCountry);
  if (!phone.ok) throw new HttpError(400, 'invalid_phone', phone.reason);
  return phone.phone;
}

/** A path parameter as written, whether or not it arrives URL-encoded. */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Turns errors into JSON responses: HttpError as itself, anything else as a 500 without details. */
export function httpErrors(): middy.MiddlewareObj<Request, Response> {
  return {
    onError: async (request) => {
      const error = request.error;
      if (error instanceof HttpError) {
        request.response = json(error.status, {
          error: {
            code: error.code,
            message: error.message,
            ...(error.issues ? { issues: error.issues } : {}),
          },
        });
        return;
      }
      logger.error('request failed', { error: error as Error });
      request.response = json(500, {
        error: { code: 'internal', message: 'something went wrong; try again' },
      });
    },
  };
}
