import type { components } from './api-schema';

/*
 * HAND-TYPED, TO BE REPLACED. The merchant API has no staff sign-in routes yet. Once it has them,
 * `npm run console:api` writes them into api-schema.d.ts: then delete this file, `& AuthPaths` in
 * api-client.ts, and read `Staff` from `paths` in staff.ts. Until then these types are the
 * console's guess at the contract, shaped as openapi-typescript writes paths, and nothing answers
 * them (the API says 404).
 */

type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };
type Answer<Body> = { headers: { [name: string]: unknown }; content: { 'application/json': Body } };
type NoContent = { headers: { [name: string]: unknown }; content?: never };
type Refusal = Answer<components['schemas']['Error']>;

export interface AuthPaths {
  '/v1/auth/code': {
    /** Texts a one-time sign-in code to a staff member's phone. */
    post: {
      parameters: NoParameters;
      requestBody: { content: { 'application/json': { phone: string } } };
      responses: { 202: NoContent; 400: Refusal; 429: Refusal };
    };
  };
  '/v1/auth/session': {
    /** Signs in with the code: the session comes back as an HttpOnly cookie. */
    post: {
      parameters: NoParameters;
      requestBody: { content: { 'application/json': { phone: string; code: string } } };
      responses: {
        201: Answer<{ phone: string; role: 'owner' | 'marketing' | 'cashier' }>;
        400: Refusal;
        401: Refusal;
      };
    };
    /** Signs out: the session ends and its cookie is cleared. */
    delete: {
      parameters: NoParameters;
      requestBody?: never;
      responses: { 204: NoContent; 401: Refusal };
    };
  };
}
