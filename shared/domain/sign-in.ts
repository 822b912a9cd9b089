import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { codeValidSeconds } from './sign-in-text';

/**
 * Staff sign in with a code texted to their phone, then hold a session. A 6-digit code has only a
 * million values, so what protects it is how briefly it lives and how few guesses it allows; it is
 * still kept only as an HMAC under a salt of its own. A session token is 256 random bits kept as its
 * SHA-256, so a copy of the table opens no session.
 */
export { codeInSignInText, codeValidSeconds, signInTemplate, signInText } from './sign-in-text';

export const codeDigits = 6;
/** Guesses at one code; the fifth wrong one burns it. */
export const codeTries = 5;
/** Codes texted to one phone per clock hour, whether or not it is staff's. */
export const codesPerHour = 5;

export const sessionIdleSeconds = 12 * 3600;
export const sessionMaxSeconds = 7 * 86_400;
/** How stale a session's `lastSeenAt` may get before a request moves it: one write per few minutes, not per request. */
export const sessionTouchSeconds = 5 * 60;

export const sessionCookieName = 'mcrm_session';

export interface StoredCode {
  salt: string;
  hash: string;
  /** Epoch milliseconds after which the code is refused. */
  validUntil: number;
  /** Guesses made, the one being checked included. */
  tries: number;
}

export function codeHash(phone: string, code: string, salt: string): string {
  return createHmac('sha256', salt).update(`${phone}:${code}`).digest('base64url');
}

/** A fresh code for `phone`: the digits to text, and what is kept of them. */
export function newSignInCode(phone: string, now: Date): { code: string; stored: Omit<StoredCode, 'tries'> } {
  const code = String(randomInt(0, 10 ** codeDigits)).padStart(codeDigits, '0');
  const salt = randomBytes(16).toString('base64url');
  return {
    code,
    stored: { salt, hash: codeHash(phone, code, salt), validUntil: now.getTime() + codeValidSeconds * 1000 },
  };
}

export type CodeVerdict = 'right' | 'wrong' | 'expired' | 'burnt';

/** What a guess at a stored code is worth; `stored.tries` already counts this guess. */
export function judgeCode(stored: StoredCode, phone: string, code: string, now: Date): CodeVerdict {
  if (stored.tries > codeTries) return 'burnt';
  if (now.getTime() > stored.validUntil) return 'expired';
  const expected = Buffer.from(stored.hash, 'base64url');
  const actual = Buffer.from(codeHash(phone, code, stored.salt), 'base64url');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? 'right' : 'wrong';
}

/** The clock hour a code is counted in (epoch hours): at most `codesPerHour` per phone in each. */
export function codeHour(now: Date): number {
  return Math.floor(now.getTime() / 3_600_000);
}

/** A new session's token (for the cookie) and its id (the token's hash, for the table). */
export function newSessionToken(): { token: string; sessionId: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, sessionId: sessionIdOf(token) };
}

export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface SessionTimes {
  createdAt: string;
  lastSeenAt: string;
}

export type SessionState = 'live' | 'idle' | 'expired';

/** A session ends 12 hours after its last use, and 7 days after sign-in whatever its use. */
export function sessionState({ createdAt, lastSeenAt }: SessionTimes, now: Date): SessionState {
  const at = now.getTime();
  if (at >= Date.parse(createdAt) + sessionMaxSeconds * 1000) return 'expired';
  if (at >= Date.parse(lastSeenAt) + sessionIdleSeconds * 1000) return 'idle';
  return 'live';
}

/** When a live session ends if not used again (epoch seconds): DynamoDB's TTL deletes it later. */
export function sessionEndsAt({ createdAt, lastSeenAt }: SessionTimes): number {
  const end = Math.min(
    Date.parse(lastSeenAt) + sessionIdleSeconds * 1000,
    Date.parse(createdAt) + sessionMaxSeconds * 1000,
  );
  return Math.ceil(end / 1000);
}

export function touchDue({ lastSeenAt }: SessionTimes, now: Date): boolean {
  return now.getTime() - Date.parse(lastSeenAt) >= sessionTouchSeconds * 1000;
}

/**
 * The Set-Cookie value carrying a session: not readable by scripts, never sent by another site's
 * page, only over TLS when the console is served over it. Max-Age is the absolute limit; the idle
 * limit is the server's.
 */
export function sessionCookie(token: string, secure: boolean): string {
  return cookie(`${sessionCookieName}=${token}`, sessionMaxSeconds, secure);
}

export function clearedSessionCookie(secure: boolean): string {
  return cookie(`${sessionCookieName}=`, 0, secure);
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  return [
    value,
    'Path=/v1',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** The session token among the request's cookies (`cookies` of an HTTP API event, or a Cookie header). */
export function sessionTokenOf(cookies: readonly string[]): string | undefined {
  for (const header of cookies) {
    for (const part of header.split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === sessionCookieName && value.length > 0) {
        const token = value.join('=');
        return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : undefined;
      }
    }
  }
  return undefined;
}
