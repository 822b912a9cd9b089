import { describe, expect, it } from 'vitest';
import {
  codeInSignInText,
  codeTries,
  judgeCode,
  newSessionToken,
  newSignInCode,
  sessionCookie,
  sessionEndsAt,
  sessionIdOf,
  sessionState,
  sessionTokenOf,
  signInText,
  touchDue,
} from '../../../shared/domain/sign-in';

const phone = '+8613900139000';
const now = new Date('2027-03-01T02:00:00.000Z');
const plus = (ms: number) => new Date(now.getTime() + ms);
const hour = 3_600_000;

describe('sign-in codes', () => {
  it('are 6 digits, kept only as an HMAC under a salt of their own', () => {
    const { code, stored } = newSignInCode(phone, now);
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(stored.validUntil).toBe(now.getTime() + 5 * 60_000);
    expect(newSignInCode(phone, now).stored.salt).not.toBe(stored.salt);
  });

  it('are right for their phone only, within 5 minutes, and burnt past the tries', () => {
    const { code, stored } = newSignInCode(phone, now);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect(judgeCode({ ...stored, tries: 1 }, phone, code, plus(1000))).toBe('right');
    expect(judgeCode({ ...stored, tries: 1 }, phone, wrong, plus(1000))).toBe('wrong');
    expect(judgeCode({ ...stored, tries: 1 }, '+8613900139001', code, plus(1000))).toBe('wrong');
    expect(judgeCode({ ...stored, tries: 1 }, phone, code, plus(5 * 60_000 + 1))).toBe('expired');
    expect(judgeCode({ ...stored, tries: codeTries }, phone, code, now)).toBe('right');
    expect(judgeCode({ ...stored, tries: codeTries + 1 }, phone, code, now)).toBe('burnt');
  });

  it('travel in a text the local runtime can read them back from', () => {
    expect(codeInSignInText(`【示例商户】${signInText('012345')}`)).toBe('012345');
    expect(codeInSignInText('【示例商户】您的积分为123456分')).toBeUndefined();
  });
});

describe('sessions', () => {
  it('have a 256-bit token, kept as its SHA-256', () => {
    const { token, sessionId } = newSessionToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(sessionIdOf(token)).toBe(sessionId);
    expect(sessionId).not.toBe(token);
  });

  it('end 12 hours after their last use, and 7 days after sign-in', () => {
    const createdAt = now.toISOString();
    expect(sessionState({ createdAt, lastSeenAt: createdAt }, plus(12 * hour - 1))).toBe('live');
    expect(sessionState({ createdAt, lastSeenAt: createdAt }, plus(12 * hour))).toBe('idle');
    const lastSeenAt = plus(7 * 24 * hour - hour).toISOString();
    expect(sessionState({ createdAt, lastSeenAt }, plus(7 * 24 * hour - 1))).toBe('live');
    expect(sessionState({ createdAt, lastSeenAt }, plus(7 * 24 * hour))).toBe('expired');
    expect(sessionEndsAt({ createdAt, lastSeenAt })).toBe((now.getTime() + 7 * 24 * hour) / 1000);
    expect(sessionEndsAt({ createdAt, lastSeenAt: createdAt })).toBe((now.getTime() + 12 * hour) / 1000);
  });

  it('move their last use at most every 5 minutes', () => {
    const times = { createdAt: now.toISOString(), lastSeenAt: now.toISOString() };
    expect(touchDue(times, plus(5 * 60_000 - 1))).toBe(false);
    expect(touchDue(times, plus(5 * 60_000))).toBe(true);
  });

  it('travel in an HttpOnly, SameSite=Strict cookie, Secure over TLS, and are read back from it', () => {
    const { token } = newSessionToken();
    expect(sessionCookie(token, false)).toBe(
      `mcrm_session=${token}; Path=/v1; Max-Age=604800; HttpOnly; SameSite=Strict`,
    );
    expect(sessionCookie(token, true)).toMatch(/; Secure$/);
    expect(sessionTokenOf(['theme=dark', `mcrm_session=${token}`])).toBe(token);
    expect(sessionTokenOf([`lang=zh; mcrm_session=${token}; x=1`])).toBe(token);
    expect(sessionTokenOf(['mcrm_session=short'])).toBeUndefined();
    expect(sessionTokenOf([])).toBeUndefined();
  });
});
