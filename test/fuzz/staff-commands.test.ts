import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { couponAlphabet, couponCodeSchema } from '../../shared/domain/coupons';
import { maxCentsPerOperation } from '../../shared/domain/ledger';
import { toMobileE164 } from '../../shared/domain/phone';
import {
  readStaffCommand,
  type StaffCommand,
  staffCommandNames,
  staffCommandWords,
} from '../../shared/domain/staff-commands';
import { fullWidth, hostileText, invisibleNoise, longHostileText } from './hostile-text';

/**
 * The staff commands' grammar under fire: whatever a phone sends, reading it never throws, and it is
 * an action only when every argument is well formed; a well-formed command reads the same in any
 * folding (case, width, spaces, punctuation, traditional characters).
 */
const read = (text: string) => readStaffCommand(text, 'CN');

const words = Object.entries(staffCommandWords);
const wordsOf = (command: StaffCommand['kind']) =>
  words.filter(([, word]) => word.command === command).map(([text]) => text);
const traditional: Record<string, string> = { 核销: '核銷', 查询: '查詢', 日报: '日報', 帮助: '幫助' };

/** A command word as a phone may type it: any case, full width or not, traditional or not. */
const typed = (command: StaffCommand['kind']) =>
  fc
    .tuple(fc.constantFrom(...wordsOf(command)), fc.boolean(), fc.boolean(), fc.boolean())
    .map(([word, lower, wide, old]) => {
      const cased = lower ? word.toLowerCase() : word;
      const spelled = old ? (traditional[cased] ?? cased) : cased;
      return wide ? fullWidth(spelled) : spelled;
    });
const gap = fc.constantFrom(' ', '  ', '\u3000', ', ', '，', ' \t');
const end = fc.constantFrom('', '.', '。', '!', '！', ' ?', '…');

const mobile = fc
  .integer({ min: 0, max: 99_999_999 })
  .map((n) => `1390${String(n).padStart(7, '0').slice(-7)}`);
const cents = fc.integer({ min: 1, max: maxCentsPerOperation });
const amountText = (value: number) =>
  fc.constantFrom(
    value % 100 === 0 ? String(value / 100) : (value / 100).toFixed(2),
    `${(value / 100).toFixed(2)}元`,
    `¥${(value / 100).toFixed(2)}`,
  );
const couponCode = fc.string({ unit: fc.constantFrom(...couponAlphabet), minLength: 8, maxLength: 8 });

/** What a command may carry when it acts: nothing but well-formed values. */
function expectWellFormed(command: StaffCommand | undefined) {
  if (!command) return;
  expect(staffCommandNames.includes(command.kind as never) || command.kind === 'malformed').toBe(true);
  expect(['zh', 'en']).toContain(command.lang);
  if ('phone' in command)
    expect(toMobileE164(command.phone, 'CN')).toEqual({ ok: true, phone: command.phone });
  if ('cents' in command) {
    expect(Number.isInteger(command.cents)).toBe(true);
    expect(command.cents).toBeGreaterThanOrEqual(1);
    expect(command.cents).toBeLessThanOrEqual(maxCentsPerOperation);
  }
  if ('couponCode' in command) expect(couponCodeSchema.safeParse(command.couponCode).success).toBe(true);
}

describe('staff commands on hostile texts', () => {
  const anyText = fc.oneof(
    hostileText(200),
    fc.string({ unit: 'binary', maxLength: 300 }),
    longHostileText,
    fc
      .tuple(fc.constantFrom(...words.map(([word]) => word)), fc.constantFrom('', ' ', '　'), hostileText(60))
      .map(([word, space, rest]) => word + space + rest),
  );

  it('never throws, and acts only with well-formed values', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expectWellFormed(read(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('acts on nothing longer than a text may be', () => {
    fc.assert(
      fc.property(longHostileText, (rest) => {
        expect(read(`JF 13800138000 88 ${rest}`)).toBeUndefined();
      }),
      { numRuns: 50 },
    );
  });
});

describe('well-formed commands in every folding', () => {
  it('earn and top up: the mobile and the amount, to the fen', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom('earn' as const, 'top-up' as const)
          .chain((kind) => fc.tuple(fc.constant(kind), typed(kind))),
        invisibleNoise,
        gap,
        mobile,
        gap,
        cents.chain((value) => fc.tuple(fc.constant(value), amountText(value))),
        end,
        ([kind, word], before, gap1, phone, gap2, [value, amount], after) => {
          const text = `${before}${word}${gap1}${phone}${gap2}${amount}${after}`;
          expect(read(text), JSON.stringify(text)).toMatchObject({
            kind,
            phone: `+86${phone}`,
            cents: value,
          });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('redeem: the code, however it is grouped and cased', () => {
    fc.assert(
      fc.property(typed('redeem'), gap, couponCode, fc.boolean(), end, (word, gap1, code, split, after) => {
        const written = split ? `${code.slice(0, 4)}-${code.slice(4).toLowerCase()}` : code;
        const text = `${word}${gap1}${written}${after}`;
        expect(read(text), JSON.stringify(text)).toMatchObject({ kind: 'redeem', couponCode: code });
      }),
      { numRuns: 300 },
    );
  });
});

describe('malformed commands', () => {
  /** Arguments that are never what a command needs. */
  const badPhone = fc.constantFrom('12345', '1380013800', 'abc', '+1', '138-0013-800x', '0');
  const badAmount = fc.constantFrom('0', '0.00', '-5', '8.888', '1e3', '八十八', 'x', '1000000.01', '.5');
  const badCode = fc.oneof(
    fc.string({ unit: fc.constantFrom(...couponAlphabet), minLength: 1, maxLength: 7 }),
    fc.string({ unit: fc.constantFrom(...couponAlphabet), minLength: 9, maxLength: 12 }),
    couponCode.chain((code) =>
      fc
        .tuple(fc.integer({ min: 0, max: 7 }), fc.constantFrom('0', 'O', '1', 'I', 'L', '?', '券'))
        .map(([at, char]) => code.slice(0, at) + char + code.slice(at + 1)),
    ),
  );
  const junk = fc.constantFrom('x', '88', '13800138000', 'K7MW3QXR', '加', '#');

  it('act on nothing: a bad argument, one missing or one too many', () => {
    const malformed = fc.oneof(
      fc.tuple(typed('earn'), badPhone, cents).map(([w, p, c]) => `${w} ${p} ${c / 100}`),
      fc.tuple(typed('top-up'), mobile, badAmount).map(([w, p, a]) => `${w} ${p} ${a}`),
      fc.tuple(typed('earn'), mobile).map(([w, p]) => `${w} ${p}`),
      fc.tuple(typed('top-up'), mobile, cents, junk).map(([w, p, c, j]) => `${w} ${p} ${c / 100} ${j}`),
      fc.tuple(typed('lookup'), badPhone).map(([w, p]) => `${w} ${p}`),
      fc.tuple(typed('lookup'), mobile, junk).map(([w, p, j]) => `${w} ${p} ${j}`),
      fc.tuple(typed('redeem'), badCode).map(([w, c]) => `${w} ${c}`),
      fc.tuple(typed('summary'), junk).map(([w, j]) => `${w} ${j}`),
    );
    fc.assert(
      fc.property(malformed, (text) => {
        expect(read(text), text).toMatchObject({ kind: 'malformed' });
      }),
      { numRuns: 800 },
    );
  });
});
