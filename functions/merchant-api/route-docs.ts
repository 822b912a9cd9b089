import type * as z from 'zod';
import type { RouteKey } from './route-keys';

/**
 * How a route is documented in the OpenAPI document (openapi.ts). Each capability's routes keep their
 * documentation beside their handlers, typed with `RouteDocsFor` or `RouteDocsOf`, and openapi.ts
 * gathers them with `everyRouteDoc`.
 */

export interface Success {
  description: string;
  body: z.ZodType;
}

type PathParameterNames<Key> = Key extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParameterNames<Rest>
  : never;

export interface Operation {
  summary: string;
  description: string;
  query?: z.ZodObject;
  /** The schema the route's handler parses the body with. */
  body?: z.ZodType;
  /** The body may be left out (every field of it is optional). */
  optionalBody?: true;
  /** Takes an `Idempotency-Key` header (or `idempotencyKey` in the body). */
  idempotencyKey?: true;
  responses: Partial<Record<200 | 201 | 202, Success>>;
  /**
   * Refusals the route itself makes; 401 (no key or session), 403 (role, CSRF) and 429 (over the
   * limit) are added for every route but the public ones, and 413 (body too large) for all that take
   * a body. A public route documents its own 401 and 429.
   */
  errors: Partial<Record<400 | 401 | 403 | 404 | 409 | 429, string>>;
}

/** A route's documentation, with a description for each parameter its path declares. */
export type RouteDoc<Key extends string> = Operation &
  ([PathParameterNames<Key>] extends [never]
    ? { pathParameters?: never }
    : { pathParameters: Record<PathParameterNames<Key>, string> });

/** The documentation of the routes named, e.g. those of a capability under `/v1/members/{phone}/…`. */
export type RouteDocsOf<Keys extends RouteKey> = { [Key in Keys]: RouteDoc<Key> };

/** The documentation of every route whose path starts with `prefix`, e.g. `/v1/retention`. */
export type RouteDocsFor<Prefix extends string> = RouteDocsOf<
  Extract<RouteKey, `${string} ${Prefix}${string}`>
>;

type KeysOfEach<Part> = Part extends unknown ? keyof Part : never;
type DocumentedTwice<Parts extends readonly unknown[], Seen = never> = Parts extends readonly [
  infer First,
  ...infer Rest,
]
  ? Extract<keyof First, Seen> | DocumentedTwice<Rest, Seen | keyof First>
  : never;

/**
 * Every route's documentation, from the parts the route modules keep. The compiler names a route
 * documented twice (`documentedTwice`) or not at all (`undocumented`).
 */
export function everyRouteDoc<const Parts extends readonly Partial<RouteDocsOf<RouteKey>>[]>(
  ...parts: Parts &
    ([DocumentedTwice<Parts>] extends [never] ? unknown : { documentedTwice: DocumentedTwice<Parts> }) &
    ([Exclude<RouteKey, KeysOfEach<Parts[number]>>] extends [never]
      ? unknown
      : { undocumented: Exclude<RouteKey, KeysOfEach<Parts[number]>> })
): RouteDocsOf<RouteKey> {
  return Object.assign({}, ...parts);
}

export const phonePath = {
  phone: "The member's mobile number, with or without the country code, e.g. +8613800138000",
};

export const invalidBody = 'the body is missing, not JSON, or breaks a rule (`issues` names each field)';

export const invalidPhone = 'the phone in the path is not a mobile number';

export const notMember = 'The phone is not (or no longer) a member';

export const neverMember = 'The phone has never been a member';

export const invalidKey = 'the Idempotency-Key is missing or malformed';

export const invalidQuery =
  'a query parameter is unknown or out of range, or the cursor is not one a page gave out';

/** One description for a status a route answers for several reasons. */
export function anyOf(...reasons: [string, ...string[]]): string {
  const last = reasons.pop() as string;
  const text = reasons.length > 0 ? `${reasons.join(', ')}, or ${last}` : last;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const replayed = 'A retry with the same idempotency key: nothing more was done (`replayed: true`)';
