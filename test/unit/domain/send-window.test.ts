import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultSendWindow, sendWindowSchema, windowDecision } from '../../../shared/domain/send-window';

const decide = (iso: string, timeZone: string, window = defaultSendWindow) =>
  windowDecision(new Date(iso), timeZone, window);
const deferredTo = (iso: string) => ({ send: false, notBefore: new Date(iso).toISOString() });

describe('sendWindowSchema', () => {
  it('defaults to 09:00–20:00', () => {
    expect(defaultSendWindow).toEqual({ start: '09:00', end: '20:00' });
    expect(sendWindowSchema.parse(defaultSendWindow)).toEqual(defaultSendWindow);
  });

  it('accepts 24-hour times from 00:00 to 23:59, and 24:00 as the end of the day', () => {
    expect(sendWindowSchema.safeParse({ start: '00:00', end: '23:59' }).success).toBe(true);
    expect(sendWindowSchema.safeParse({ start: '00:00', end: '24:00' }).success).toBe(true);
  });

  it('never closes from 00:00 to 24:00', () => {
    const always = { start: '00:00', end: '24:00' };
    for (const iso of ['2025-06-01T15:59:59.999Z', '2025-06-01T16:00:00Z', '2025-06-01T23:30:00Z']) {
      expect(decide(iso, 'Asia/Shanghai', always)).toEqual({ send: true });
    }
  });

  it.each([
    [{ start: '9:00', end: '20:00' }, 'time: HH:MM on a 24-hour clock, e.g. 09:00'],
    [{ start: '24:00', end: '24:00' }, 'time: HH:MM on a 24-hour clock, e.g. 09:00'],
    [{ start: '09:00', end: '24:30' }, 'end: HH:MM on a 24-hour clock, or 24:00 for the end of the day'],
    [{ start: '09:60', end: '20:00' }, 'time: HH:MM on a 24-hour clock, e.g. 09:00'],
    [{ start: '20:00', end: '20:00' }, 'send window: start must be before end on the same day'],
    [{ start: '22:00', end: '08:00' }, 'send window: start must be before end on the same day'],
  ])('refuses %j', (window, message) => {
    const result = sendWindowSchema.safeParse(window);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });
});

describe('windowDecision', () => {
  describe('in Shanghai (UTC+8)', () => {
    it.each([
      ['2025-06-01T01:00:00Z', '09:00, the opening'],
      ['2025-06-01T06:00:00Z', '14:00'],
      ['2025-06-01T11:59:59.999Z', 'the last moment before 20:00'],
    ])('sends at %s (%s)', (iso) => {
      expect(decide(iso, 'Asia/Shanghai')).toEqual({ send: true });
    });

    it('defers a text due at exactly 20:00 to 09:00 the next morning', () => {
      expect(decide('2025-06-01T12:00:00Z', 'Asia/Shanghai')).toEqual(deferredTo('2025-06-02T01:00:00Z'));
    });

    it('defers an evening text to 09:00 the next morning', () => {
      expect(decide('2025-06-01T14:15:00Z', 'Asia/Shanghai')).toEqual(deferredTo('2025-06-02T01:00:00Z'));
    });

    it('defers a text at 00:30 (still the previous day in UTC) to 09:00 that same local morning', () => {
      expect(decide('2025-05-31T16:30:00Z', 'Asia/Shanghai')).toEqual(deferredTo('2025-06-01T01:00:00Z'));
    });

    it('defers a text at 08:59 to 09:00', () => {
      expect(decide('2025-06-01T00:59:00Z', 'Asia/Shanghai')).toEqual(deferredTo('2025-06-01T01:00:00Z'));
    });

    it('rolls over the end of a month and a year', () => {
      expect(decide('2025-12-31T13:00:00Z', 'Asia/Shanghai')).toEqual(deferredTo('2026-01-01T01:00:00Z'));
    });
  });

  describe('with a window of 08:00–21:30', () => {
    const window = { start: '08:00', end: '21:30' };

    it.each([
      ['2025-06-01T00:00:00Z', { send: true }],
      ['2025-06-01T13:29:00Z', { send: true }],
      ['2025-06-01T13:30:00Z', deferredTo('2025-06-02T00:00:00Z')],
      ['2025-05-31T23:59:00Z', deferredTo('2025-06-01T00:00:00Z')],
    ])('decides %s (Shanghai)', (iso, decision) => {
      expect(decide(iso, 'Asia/Shanghai', window)).toEqual(decision);
    });

    it('works in a zone with a half-hour offset (Kolkata, UTC+5:30)', () => {
      expect(decide('2025-06-01T02:29:00Z', 'Asia/Kolkata', window)).toEqual(
        deferredTo('2025-06-01T02:30:00Z'),
      );
      expect(decide('2025-06-01T16:00:00Z', 'Asia/Kolkata', window)).toEqual(
        deferredTo('2025-06-02T02:30:00Z'),
      );
    });
  });

  describe('in New York, across daylight-saving changes', () => {
    it('opens at 09:00 EDT on the spring-forward day, an hour earlier in UTC than the night before', () => {
      // 01:30 EST on 9 March 2025; clocks jump from 02:00 to 03:00, and 09:00 is then UTC-4.
      expect(decide('2025-03-09T06:30:00Z', 'America/New_York')).toEqual(deferredTo('2025-03-09T13:00:00Z'));
      // 20:30 EST on 8 March: the next opening is still 09:00 EDT on the 9th.
      expect(decide('2025-03-09T01:30:00Z', 'America/New_York')).toEqual(deferredTo('2025-03-09T13:00:00Z'));
      // 08:59 EST on 8 March, before the change.
      expect(decide('2025-03-08T13:59:00Z', 'America/New_York')).toEqual(deferredTo('2025-03-08T14:00:00Z'));
    });

    it('sends at 09:00 EDT on the spring-forward day and stops at 20:00 EDT', () => {
      expect(decide('2025-03-09T13:00:00Z', 'America/New_York')).toEqual({ send: true });
      expect(decide('2025-03-10T00:00:00Z', 'America/New_York')).toEqual(deferredTo('2025-03-10T13:00:00Z'));
    });

    it('opens at 09:00 EST on the fall-back day', () => {
      expect(decide('2025-11-02T05:00:00Z', 'America/New_York')).toEqual(deferredTo('2025-11-02T14:00:00Z'));
    });

    it('opens when the clock jumps if the window starts inside the skipped hour', () => {
      // 02:30 never shows on 9 March 2025; the clock reads 03:00 EDT at 07:00 UTC.
      const window = { start: '02:30', end: '20:00' };
      expect(decide('2025-03-09T05:00:00Z', 'America/New_York', window)).toEqual(
        deferredTo('2025-03-09T07:00:00Z'),
      );
    });

    it('skips a day whose whole window falls in the skipped hour', () => {
      const window = { start: '02:00', end: '02:30' };
      expect(decide('2025-03-09T05:00:00Z', 'America/New_York', window)).toEqual(
        deferredTo('2025-03-10T06:00:00Z'),
      );
    });

    it('opens at the first of two 01:30s on the fall-back day', () => {
      const window = { start: '01:30', end: '20:00' };
      // 00:10 EDT; 01:30 shows first at 05:30 UTC (EDT), again at 06:30 UTC (EST).
      expect(decide('2025-11-02T04:10:00Z', 'America/New_York', window)).toEqual(
        deferredTo('2025-11-02T05:30:00Z'),
      );
    });

    it('opens at the second 01:45 when the clock has already fallen back past the first', () => {
      const window = { start: '01:45', end: '02:15' };
      // 01:00 EST, after 01:45 EDT has come and gone; the window opens at 01:45 EST.
      expect(decide('2025-11-02T06:00:00Z', 'America/New_York', window)).toEqual(
        deferredTo('2025-11-02T06:45:00Z'),
      );
    });
  });

  it('handles a change at midnight (Santiago skips 00:00–01:00 on 8 September 2024)', () => {
    const window = { start: '00:30', end: '08:00' };
    // 23:00 on the 7th (UTC-4); the clock reads 01:00 (UTC-3) at 04:00 UTC, already past 00:30.
    expect(decide('2024-09-08T03:00:00Z', 'America/Santiago', window)).toEqual(
      deferredTo('2024-09-08T04:00:00Z'),
    );
    expect(decide('2024-09-08T03:00:00Z', 'America/Santiago', { start: '00:15', end: '00:45' })).toEqual(
      deferredTo('2024-09-09T03:15:00Z'),
    );
  });

  it('always defers to the first instant the window is open, in zones with and without daylight saving', () => {
    const zones = [
      'Asia/Shanghai',
      'America/New_York',
      'Europe/London',
      'Australia/Lord_Howe',
      'America/Santiago',
    ];
    const clock = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const window = fc
      .tuple(clock, clock)
      .filter(([a, b]) => a !== b)
      .map(([a, b]) => (a < b ? { start: a, end: b } : { start: b, end: a }));
    const instant = fc.date({
      min: new Date('2024-01-01T00:00:00Z'),
      max: new Date('2026-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instant, fc.constantFrom(...zones), window, (at, zone, w) => {
        const decision = windowDecision(at, zone, w);
        if (decision.send) return;
        const opening = Date.parse(decision.notBefore);
        expect(opening).toBeGreaterThan(at.getTime());
        // A day whose whole window falls in the hour the clocks skip does not open; the next does.
        expect(opening - at.getTime()).toBeLessThanOrEqual(50 * 3_600_000);
        expect(windowDecision(new Date(opening), zone, w)).toEqual({ send: true });
        expect(windowDecision(new Date(opening - 1), zone, w)).toEqual(decision);
      }),
      { numRuns: 5000 },
    );
  });
});
