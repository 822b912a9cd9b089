import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foldKeyword,
  type Intent,
  maxInboundTextLength,
  maxNameLength,
  normalizeText,
  readKeyword,
  systemKeywordOf,
} from '../../shared/domain/keywords';
import { fullWidth, hostilePieces, hostileText, invisibleNoise, longHostileText } from './hostile-text';

const today = '2026-11-23';

const intentKinds: readonly Intent['kind'][] = [
  'join',
  'join-invalid',
  'points',
  'claim',
  'coupons',
  'help',
  'opt-out',
  'opt-in',
  'complaint',
  'feedback',
  'too-long',
  'unknown',
];

/** Anything a customer could send: hostile pieces, arbitrary code points, texts past the length limit. */
const anyText = fc.oneof(
  hostileText(200),
  fc.string({ unit: 'binary', maxLength: 300 }),
  longHostileText,
  // A keyword in front makes the parser go past its first step.
  fc
    .tuple(
      fc.constantFrom('注册', 'JOIN ', '领取', 'claim ', '反馈', 'FK ', 'STOP ', '退订', 'T'),
      hostileText(60),
    )
    .map(([keyword, rest]) => keyword + rest),
);

/** What survives normalizeText: nothing invisible, no direction marks, single plain spaces. */
const invisible = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

describe('readKeyword on hostile texts', () => {
  it('never throws and reads every text as one intent, in Chinese or English', () => {
    fc.assert(
      fc.property(anyText, fc.array(hostileText(10), { maxLength: 3 }), (text, optOutKeywords) => {
        const intent = readKeyword(text, today, { optOutKeywords });
        expect(intentKinds).toContain(intent.kind);
        expect(['zh', 'en']).toContain(intent.lang);
        expect(intent.kind === 'too-long').toBe(text.length > maxInboundTextLength);
      }),
      { numRuns: 400 },
    );
  });

  it('hands on only normalized words: names, codes, keywords and feedback carry no control or direction marks', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const intent = readKeyword(text, today);
        if (intent.kind === 'join') {
          if (intent.name !== undefined) {
            expect(intent.name.length).toBeGreaterThan(0);
            expect(intent.name.length).toBeLessThanOrEqual(maxNameLength);
            expect(intent.name).not.toMatch(/[<>{}\\]|^\s|\s$/);
            expect(intent.name).not.toMatch(invisible);
          }
          if (intent.birthday !== undefined) {
            expect(intent.birthday).toMatch(/^\d{4}-\d{2}-\d{2}$/);
            expect(intent.birthday >= '1900-01-01' && intent.birthday <= today).toBe(true);
          }
        }
        if (intent.kind === 'claim' && intent.code !== undefined)
          expect(intent.code).toMatch(/^[A-Z0-9]{2,20}$/);
        if (intent.kind === 'opt-out' || intent.kind === 'opt-in') {
          expect(intent.keyword).not.toBe('');
          expect(foldKeyword(intent.keyword)).toBe(intent.keyword);
        }
        if (intent.kind === 'feedback') {
          expect(intent.text).not.toMatch(invisible);
          expect(intent.text).not.toMatch(/^[\s:：,，、;；.。\-—~]/u);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('normalizeText on hostile texts', () => {
  it('leaves no invisible character, no outer space and no double space, and is stable when applied again', () => {
    fc.assert(
      fc.property(fc.oneof(hostileText(200), fc.string({ unit: 'binary', maxLength: 200 })), (text) => {
        const normal = normalizeText(text);
        expect(normal).not.toMatch(invisible);
        expect(normal).not.toMatch(/^\s|\s$|\s\s|[^\S ]/u);
        expect(normalizeText(normal)).toBe(normal);
      }),
      { numRuns: 400 },
    );
  });
});

describe('opt-out words wrapped in noise', () => {
  const standard = ['退订', 'TD', 'T', 'N', 'R', 'STOP', 'UNSUBSCRIBE'];
  /** A standard word in any case and width, as a phone may type it. */
  const typed = (words: readonly string[]) =>
    fc.tuple(fc.constantFrom(...words), fc.boolean(), fc.boolean()).map(([word, lower, wide]) => ({
      word,
      text: ((cased: string) => (wide ? fullWidth(cased) : cased))(lower ? word.toLowerCase() : word),
    }));
  const trailing = fc.string({
    unit: fc.oneof(fc.constantFrom('.', '!', '?', '。', '！', '？', '，', '…', '～'), invisibleNoise),
    maxLength: 4,
  });

  it('opts out on a standard word with invisible characters, direction marks and punctuation around it', () => {
    fc.assert(
      fc.property(typed(standard), invisibleNoise, trailing, ({ word, text }, before, after) => {
        expect(readKeyword(before + text + after, today)).toMatchObject({ kind: 'opt-out', keyword: word });
      }),
      { numRuns: 300 },
    );
  });

  it('opts out on a word of two letters or more followed by anything after a break, or by anything after 退订', () => {
    const breakChar = fc.constantFrom(...hostilePieces.spaces, ...hostilePieces.control, '\u200B', '\u202E');
    fc.assert(
      fc.property(
        typed(['TD', 'STOP', 'UNSUBSCRIBE']),
        invisibleNoise,
        breakChar,
        hostileText(100),
        ({ word, text }, before, gap, rest) => {
          expect(readKeyword(before + text + gap + rest, today)).toMatchObject({
            kind: 'opt-out',
            keyword: word,
          });
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(invisibleNoise, hostileText(100), (before, rest) => {
        expect(readKeyword(`${before}退订${rest}`, today)).toMatchObject({
          kind: 'opt-out',
          keyword: '退订',
        });
      }),
      { numRuns: 200 },
    );
  });

  it("opts out on the merchant's own word, whatever it is, when it is the whole text inside noise", () => {
    const ownWord = hostileText(12).filter(
      (word) => foldKeyword(word) !== '' && systemKeywordOf(word) === undefined,
    );
    fc.assert(
      fc.property(ownWord, invisibleNoise, trailing, (word, before, after) => {
        expect(readKeyword(before + word + after, today, { optOutKeywords: [word] })).toMatchObject({
          kind: 'opt-out',
          keyword: foldKeyword(word),
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('joining with a birthday typed on any keyboard', () => {
  const pad = (n: number) => String(n).padStart(2, '0');
  const birthday = fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date(`${today}T00:00:00Z`), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10));
  /** The birthday in a format readDate accepts, each character full-width or not. */
  const written = fc
    .tuple(
      birthday,
      fc.constantFrom('-', '/', '.', '年', ''),
      fc.boolean(),
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    )
    .map(([date, separator, padded, wide]) => {
      const [year = '', month = '', day = ''] = date.split('-');
      const m = padded || separator === '' ? month : String(Number(month));
      const d = padded || separator === '' ? day : String(Number(day));
      const text =
        separator === '年'
          ? `${year}年${m}月${d}日`
          : separator === ''
            ? year + pad(+m) + pad(+d)
            : [year, m, d].join(separator);
      return {
        date,
        text: [...text].map((char, i) => (wide[i % wide.length] ? fullWidth(char) : char)).join(''),
      };
    });
  const name = fc.string({
    unit: fc.constantFrom('张', '三', '李', '娜', 'A', 'b', '·'),
    minLength: 1,
    maxLength: 8,
  });
  /** Between the keyword and what follows: a break of any kind (a comma glued to JOIN is not one). */
  const breakAfterKeyword = fc
    .tuple(invisibleNoise, fc.constantFrom(' ', '\u3000', '\t', '\n', '\u200B', '\u202E'))
    .map(([noise, mark]) => noise + mark);
  /** Between name and birthday: a break or the commas people type in lists. */
  const gap = fc
    .tuple(breakAfterKeyword, fc.constantFrom('', '，', '、', ','))
    .map(([noise, mark]) => noise + mark);

  it('reads 注册 or JOIN, a name and a birthday with full-width digits, whatever invisible characters sit between', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('注册', 'JOIN', 'join', 'ＪＯＩＮ'),
        name,
        written,
        breakAfterKeyword,
        gap,
        fc.boolean(),
        (keyword, who, { date, text }, gap1, gap2, dateFirst) => {
          const words = dateFirst ? [text, gap2, who] : [who, gap2, text];
          expect(readKeyword([keyword, gap1, ...words].join(''), today)).toMatchObject({
            kind: 'join',
            name: who,
            birthday: date,
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
