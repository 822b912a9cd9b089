import { ulid } from 'ulidx';
import * as z from 'zod';
import { toMobileE164 } from '../../shared/domain/phone';
import {
  clearedSessionCookie,
  codesPerHour,
  codeTries,
  codeValidSeconds,
  judgeCode,
  newSessionToken,
  newSignInCode,
  sessionCookie,
  signInTemplate,
  signInText,
} from '../../shared/domain/sign-in';
import { roleSchema, type Staff, staffIdSchema } from '../../shared/domain/staff';
import type { OutboundQueue } from '../../shared/queue/outbound-queue';
import type { Merchant } from '../../shared/schemas/merchant';
import type { DirectoryStore } from '../../shared/store/directory';
import type { SignInStore } from '../../shared/store/sign-in';
import type { StaffStore } from '../../shared/store/staff';
import type { Caller } from './auth';
import { HttpError, json, parseBody, type Request, type Response } from './http';
import { anyOf, invalidBody, type RouteDocsFor } from './route-docs';

/**
 * Staff sign in by a code texted to their phone: ask for a code, then trade it for a session, kept
 * in an HttpOnly cookie. Both steps answer a phone that is no staff member's exactly as they answer
 * one that is, so they tell nobody who works where.
 */

export interface SignInRoutesDeps {
  directory: Pick<DirectoryStore, 'merchant'>;
  staff: Pick<StaffStore, 'byPhone'>;
  signIn: Pick<
    SignInStore,
    'countCode' | 'putCode' | 'guessCode' | 'spendCode' | 'openSession' | 'endSession'
  >;
  outbound: Pick<OutboundQueue, 'enqueue'>;
  clock: () => Date;
}

/** Sign-in names no merchant: phones are read as mainland China's unless written with their country code. */
const signInCountry = 'CN';

const phoneField = z.string().max(40);
export const codeRequestSchema = z.strictObject({ phone: phoneField });
export const sessionRequestSchema = z.strictObject({
  phone: phoneField,
  code: z.string().regex(/^\d{6}$/, 'code: the 6 digits texted to you'),
});

const sessionViewSchema = z.object({
  staffId: staffIdSchema,
  name: z.string(),
  phone: z.string(),
  role: roleSchema,
  /** The shop, and the number its members text (keywords, answers to tickets). */
  merchant: z.object({ name: z.string(), senderNumber: z.string() }),
});
const sessionAnswerSchema = z.object({ session: sessionViewSchema });
const codeAnswerSchema = z.object({
  code: z.object({ phone: z.string(), validSeconds: z.number() }),
});

function sessionView(staff: Staff, merchant: Merchant): z.infer<typeof sessionViewSchema> {
  const { staffId, name, phone, role } = staff;
  return {
    staffId,
    name,
    phone,
    role,
    merchant: { name: merchant.name, senderNumber: merchant.senderNumber },
  };
}

function signInPhone(raw: string): string {
  const phone = toMobileE164(raw, signInCountry);
  if (!phone.ok) {
    const issue = { path: 'phone', message: phone.reason };
    throw new HttpError(400, 'invalid_body', `phone: ${phone.reason}`, [issue]);
  }
  return phone.phone;
}

/** Whether the request came over TLS (API Gateway and CloudFront say so): only then is the cookie `Secure`. */
function overTls(request: Request): boolean {
  return (
    request.headers['x-forwarded-proto'] === 'https' ||
    request.headers['cloudfront-forwarded-proto'] === 'https'
  );
}

const wrongCode = () =>
  new HttpError(
    401,
    'invalid_code',
    `the code is wrong or no longer valid; after ${codeTries} wrong tries, or ${codeValidSeconds / 60} minutes, ask for a new one`,
  );

/** `POST /v1/auth/code`: a code texted to the phone if it is a staff member's; the same answer if not. */
export async function requestCode(request: Request, deps: SignInRoutesDeps): Promise<Response> {
  const phone = signInPhone(parseBody(request, codeRequestSchema).phone);
  const now = deps.clock();
  if (!(await deps.signIn.countCode(phone, now))) {
    throw new HttpError(
      429,
      'too_many_codes',
      `a phone may be sent ${codesPerHour} codes an hour; try again later`,
    );
  }
  // A code is kept for any phone, so the work (and the time it takes) hardly says whether it is staff's.
  const { code, stored } = newSignInCode(phone, now);
  await deps.signIn.putCode(phone, stored);
  const found = await deps.staff.byPhone(phone);
  if (found) {
    await deps.outbound.enqueue({
      messageId: `sign-in#${phone}#${ulid(now.getTime())}`,
      merchantId: found.merchantId,
      to: phone,
      body: signInText(code),
      category: 'service',
      template: signInTemplate,
    });
  }
  return json(202, { code: { phone, validSeconds: codeValidSeconds } } satisfies z.infer<
    typeof codeAnswerSchema
  >);
}

/** `POST /v1/auth/session`: the code for a session, in a cookie. */
export async function openSession(request: Request, deps: SignInRoutesDeps): Promise<Response> {
  const body = parseBody(request, sessionRequestSchema);
  const phone = signInPhone(body.phone);
  const now = deps.clock();
  const stored = await deps.signIn.guessCode(phone);
  if (!stored || judgeCode(stored, phone, body.code, now) !== 'right') throw wrongCode();
  if (!(await deps.signIn.spendCode(phone, stored))) throw wrongCode();
  const found = await deps.staff.byPhone(phone);
  const merchant = found && (await deps.directory.merchant(found.merchantId));
  if (!found || !merchant) throw wrongCode();
  const { token, sessionId } = newSessionToken();
  const at = now.toISOString();
  await deps.signIn.openSession(sessionId, {
    merchantId: merchant.merchantId,
    staffId: found.staff.staffId,
    createdAt: at,
    lastSeenAt: at,
  });
  const answer = json(201, { session: sessionView(found.staff, merchant) } satisfies z.infer<
    typeof sessionAnswerSchema
  >);
  return { ...answer, cookies: [sessionCookie(token, overTls(request))] };
}

const noSession = () => new HttpError(404, 'no_session', 'an API key has no session: sign in as staff');

/** `GET /v1/auth/session`: who is signed in, as the staff item says now. */
export async function getSession(
  _: Request,
  merchant: Merchant,
  __: unknown,
  caller: Caller,
): Promise<Response> {
  if (caller.actor.kind !== 'staff') throw noSession();
  return json(200, { session: sessionView(caller.actor.staff, merchant) } satisfies z.infer<
    typeof sessionAnswerSchema
  >);
}

/** `DELETE /v1/auth/session`: signs out; the session is refused from the next request on. */
export async function endSession(
  request: Request,
  merchant: Merchant,
  deps: Pick<SignInRoutesDeps, 'signIn'>,
  caller: Caller,
): Promise<Response> {
  if (caller.actor.kind !== 'staff') throw noSession();
  await deps.signIn.endSession(caller.actor.sessionId);
  const answer = json(200, { session: sessionView(caller.actor.staff, merchant) } satisfies z.infer<
    typeof sessionAnswerSchema
  >);
  return { ...answer, cookies: [clearedSessionCookie(overTls(request))] };
}

const wrongCodeDoc = `The code is wrong, expired (after ${codeValidSeconds / 60} minutes), used, or burnt by ${codeTries} wrong tries; or the phone is no staff member's`;

export const signInRouteDocs: RouteDocsFor<'/v1/auth'> = {
  'POST /v1/auth/code': {
    summary: 'Text a sign-in code',
    description:
      `Texts a 6-digit code to the phone when it belongs to a member of staff; it is valid ${codeValidSeconds / 60} ` +
      `minutes and allows ${codeTries} tries, and a new code replaces the last. A phone may be sent ` +
      `${codesPerHour} codes an hour. The answer is the same whether or not the phone is staff's. No key or ` +
      'session needed.',
    body: codeRequestSchema,
    responses: {
      202: { description: 'A code is on its way if the phone is staff’s', body: codeAnswerSchema },
    },
    errors: {
      400: anyOf(invalidBody, 'the phone is not a mobile number'),
      429: `The phone was sent ${codesPerHour} codes this hour`,
    },
  },
  'POST /v1/auth/session': {
    summary: 'Sign in with the code',
    description:
      'Trades the code for a session: the answer sets an HttpOnly, SameSite=Strict cookie (Secure over ' +
      'HTTPS), which ends after 12 hours unused or 7 days in all, at sign-out, or when the member of staff ' +
      'is removed. Changes made with the session need the header `x-mcrm-csrf: 1`.',
    body: sessionRequestSchema,
    responses: {
      201: { description: 'Signed in: who, in which role, at which shop', body: sessionAnswerSchema },
    },
    errors: { 400: anyOf(invalidBody), 401: wrongCodeDoc },
  },
  'GET /v1/auth/session': {
    summary: 'Who is signed in',
    description:
      'The member of staff the session cookie belongs to, with their role as it is now and their shop.',
    responses: { 200: { description: 'The session’s member of staff', body: sessionAnswerSchema } },
    errors: { 404: 'Called with an API key, which has no session' },
  },
  'DELETE /v1/auth/session': {
    summary: 'Sign out',
    description: 'Ends the session at once, on every server, and clears its cookie.',
    responses: { 200: { description: 'Signed out of this session', body: sessionAnswerSchema } },
    errors: { 404: 'Called with an API key, which has no session' },
  },
};
