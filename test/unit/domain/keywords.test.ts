import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isExactKeyword,
  normalizeText,
  readDate,
  readKeyword,
  systemKeywordOf,
} from '../../../shared/domain/keywords';

const today = '2026-11-23';
const read = (text: string) => readKeyword(text, today);

describe('readKeyword', () => {
  it.each([
    ['积分', 'points', 'zh'],
    ['JF', 'points', 'zh'],
    ['jf', 'points', 'zh'],
    ['ＪＦ', 'points', 'zh'],
    ['  points  ', 'points', 'en'],
    ['Points!', 'points', 'en'],
    ['积分。', 'points', 'zh'],
    ['积分查询', 'points', 'zh'],
    ['帮助', 'help', 'zh'],
    ['help', 'help', 'en'],
    ['投诉', 'complaint', 'zh'],
    ['投诉：你们天天发广告', 'complaint', 'zh'],
    ['举报 垃圾短信', 'complaint', 'zh'],
    ['举报！', 'complaint', 'zh'],
  ])('%j is %s (%s)', (text, kind, lang) => {
    expect(read(text)).toEqual({ kind, lang });
  });

  it.each([
    ['退订', 'opt-out', 'zh', '退订'],
    ['退订谢谢', 'opt-out', 'zh', '退订'],
    ['td', 'opt-out', 'zh', 'TD'],
    ['Ｔ', 'opt-out', 'zh', 'T'],
    ['t.', 'opt-out', 'zh', 'T'],
    ['n', 'opt-out', 'zh', 'N'],
    ['Ｒ。', 'opt-out', 'zh', 'R'],
    ['STOP', 'opt-out', 'en', 'STOP'],
    ['stop sending me texts', 'opt-out', 'en', 'STOP'],
    ['Unsubscribe', 'opt-out', 'en', 'UNSUBSCRIBE'],
    ['订阅', 'opt-in', 'zh', '订阅'],
    ['start', 'opt-in', 'en', 'START'],
  ])('%j is %s (%s), keyword %s', (text, kind, lang, keyword) => {
    expect(read(text)).toEqual({ kind, lang, keyword });
  });

  it.each([
    ['', 'en'],
    ['   ', 'en'],
    ['hello', 'en'],
    ['T shirt', 'en'],
    ['N95 口罩', 'zh'],
    ['N 95', 'en'],
    ['R u open today', 'en'],
    ['T恤多少钱', 'zh'],
    ['JOINED', 'en'],
    ['你好', 'zh'],
    ['\u0000\u200b', 'en'],
  ])('%j is not a keyword and is answered in %s', (text, lang) => {
    expect(read(text)).toEqual({ kind: 'unknown', lang });
  });

  it('reads a join with name and birthday in any width and order', () => {
    expect(read('注册 张三 1990-05-01')).toEqual({
      kind: 'join',
      lang: 'zh',
      name: '张三',
      birthday: '1990-05-01',
    });
    expect(read('注册张三')).toEqual({ kind: 'join', lang: 'zh', name: '张三' });
    expect(read('ＪＯＩＮ　Zhang San，１９９０年５月１日')).toEqual({
      kind: 'join',
      lang: 'en',
      name: 'Zhang San',
      birthday: '1990-05-01',
    });
    expect(read('join 19900501 Li')).toEqual({
      kind: 'join',
      lang: 'en',
      name: 'Li',
      birthday: '1990-05-01',
    });
    expect(read('注册')).toEqual({ kind: 'join', lang: 'zh' });
    expect(read('JOIN!')).toEqual({ kind: 'join', lang: 'en' });
  });

  it('refuses a birthday that is not a real past date, and an over-long or odd name', () => {
    for (const text of [
      '注册 张三 1990-02-30',
      '注册 张三 2030-01-01',
      '注册 张三 1850-01-01',
      'JOIN Li 5/1',
      '注册 1990-01-01 1991-01-01',
    ]) {
      expect(read(text)).toEqual({ kind: 'join-invalid', lang: expect.any(String), problem: 'birthday' });
    }
    expect(read(`JOIN ${'a'.repeat(41)}`)).toEqual({ kind: 'join-invalid', lang: 'en', problem: 'name' });
    expect(read('JOIN <script>')).toEqual({ kind: 'join-invalid', lang: 'en', problem: 'name' });
  });
});

describe('traditional characters', () => {
  it.each([
    ['積分', { kind: 'points', lang: 'zh' }],
    ['幫助', { kind: 'help', lang: 'zh' }],
    ['領取 ROAM90', { kind: 'claim', lang: 'zh', code: 'ROAM90' }],
    ['退訂', { kind: 'opt-out', lang: 'zh', keyword: '退订' }],
    ['訂閱', { kind: 'opt-in', lang: 'zh', keyword: '订阅' }],
    ['舉報', { kind: 'complaint', lang: 'zh' }],
    ['建議 多些素菜', { kind: 'feedback', lang: 'zh', type: 'suggestion', text: '多些素菜' }],
    ['註冊 張三', { kind: 'join', lang: 'zh', name: '張三' }],
  ])('%j reads as its simplified keyword, what follows kept as written', (text, intent) => {
    expect(read(text)).toEqual(intent);
  });

  it('knows a text that is a keyword and nothing more', () => {
    for (const text of ['積分', '帮助。', ' ＨＥＬＰ ', 'td', '领取'])
      expect(isExactKeyword(text), text).toBe(true);
    for (const text of ['积分查询', '领取 ROAM90', '谢谢', 'T shirt'])
      expect(isExactKeyword(text), text).toBe(false);
  });
});

describe('opt-out keywords', () => {
  const standard = ['退订', 'TD', 'T', 'N', 'R', 'STOP', 'UNSUBSCRIBE'];
  const fullWidth = (text: string) =>
    text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
  const mixedCase = (text: string) =>
    [...text].map((char, i) => (i % 2 === 0 ? char.toLowerCase() : char.toUpperCase())).join('');
  const forms = (word: string) => [
    word,
    mixedCase(word),
    fullWidth(word),
    fullWidth(mixedCase(word)),
    `${fullWidth(mixedCase(word))}！`,
    `${mixedCase(word)}.`,
    `${word}。。`,
    `\u3000${fullWidth(word)}\u3000`,
  ];

  it.each(standard.flatMap((word) => forms(word).map((text) => [text, word])))(
    '%j opts out as %s',
    (text, keyword) => {
      expect(read(text)).toEqual({ kind: 'opt-out', lang: expect.any(String), keyword });
    },
  );

  it('opts out on any mix of case and width of a standard keyword, with any trailing punctuation', () => {
    const variant = fc
      .constantFrom(...standard)
      .chain((word) =>
        fc.tuple(
          fc.constant(word),
          fc.array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: word.length, maxLength: word.length }),
          fc.string({ unit: fc.constantFrom('.', '!', '?', '。', '！', '？', '，', '…', ' ') }),
        ),
      )
      .map(([word, choices, punctuation]) => {
        const chars = [...word].map((char, i) => {
          const [upper, wide] = choices[i] as [boolean, boolean];
          const cased = upper ? char.toUpperCase() : char.toLowerCase();
          return wide ? fullWidth(cased) : cased;
        });
        return { word, text: chars.join('') + punctuation };
      });
    fc.assert(
      fc.property(variant, ({ word, text }) => {
        expect(read(text)).toMatchObject({ kind: 'opt-out', keyword: word });
      }),
    );
  });

  it("opts out on the merchant's own words only when they are the whole text", () => {
    const options = { optOutKeywords: ['不要再发了', 'quit', 'Ｂｙｅ'] };
    expect(readKeyword('不要再发了！', today, options)).toEqual({
      kind: 'opt-out',
      lang: 'zh',
      keyword: '不要再发了',
    });
    expect(readKeyword('ＱＵＩＴ', today, options)).toEqual({ kind: 'opt-out', lang: 'en', keyword: 'QUIT' });
    expect(readKeyword('bye.', today, options)).toEqual({ kind: 'opt-out', lang: 'en', keyword: 'BYE' });
    expect(readKeyword('quit smoking', today, options)).toEqual({ kind: 'unknown', lang: 'en' });
    expect(readKeyword('quit', today)).toEqual({ kind: 'unknown', lang: 'en' });
  });

  it("keeps the standard keywords' meaning whatever the merchant adds", () => {
    expect(readKeyword('积分', today, { optOutKeywords: ['积分'] })).toEqual({ kind: 'points', lang: 'zh' });
  });
});

it('acts on nothing in a text longer than any keyword message', () => {
  expect(read(`注册 ${'张'.repeat(1600)}`)).toEqual({ kind: 'too-long', lang: 'zh' });
  expect(read(`JOIN ${'a'.repeat(1600)}`)).toEqual({ kind: 'too-long', lang: 'en' });
});

describe('normalizeText', () => {
  it('folds full-width forms and collapses every kind of space and control character', () => {
    expect(normalizeText('  ＪＯＩＮ\u3000\t张三\n\u200b１９９０ ')).toBe('JOIN 张三 1990');
  });
});

describe('readDate', () => {
  it.each([
    ['1990-05-01', '1990-05-01'],
    ['1990/5/1', '1990-05-01'],
    ['1990.05.01', '1990-05-01'],
    ['1990年5月1日', '1990-05-01'],
    ['20000229', '2000-02-29'],
    ['19000229', null],
    ['1990-13-01', null],
    ['12345', null],
    ['张三', undefined],
    ['Li', undefined],
  ])('%j → %j', (word, date) => {
    expect(readDate(word)).toBe(date);
  });
});

describe('feedback and suggestions', () => {
  it.each([
    ['反馈 今天的服务很好', 'zh', 'feedback', '今天的服务很好'],
    ['反馈：菜有点咸', 'zh', 'feedback', '菜有点咸'],
    ['反馈菜有点咸', 'zh', 'feedback', '菜有点咸'],
    ['ｆｋ 等太久了', 'zh', 'feedback', '等太久了'],
    ['Feedback: the coffee was cold', 'en', 'feedback', 'the coffee was cold'],
    ['建议 增加素食', 'zh', 'suggestion', '增加素食'],
    ['建议，周末营业到十点', 'zh', 'suggestion', '周末营业到十点'],
    ['反馈', 'zh', 'feedback', ''],
    ['FK!', 'zh', 'feedback', ''],
  ])('%j is %s %s with text %j', (text, lang, type, said) => {
    expect(read(text)).toEqual({ kind: 'feedback', lang, type, text: said });
  });

  it('keeps complaints as they were', () => {
    expect(read('投诉 服务太差')).toEqual({ kind: 'complaint', lang: 'zh' });
  });

  it('does not read a word merely containing FK', () => {
    expect(read('FKA twigs')).toEqual({ kind: 'unknown', lang: 'en' });
  });
});

describe('systemKeywordOf', () => {
  it.each([
    ['积分', '积分', 'points'],
    ['ＪＦ', 'JF', 'points'],
    ['join', 'JOIN', 'join'],
    ['积分兑换', '积分', 'points'],
    ['退订。', '退订', 'opt-out'],
    ['t', 'T', 'opt-out'],
    ['反馈', '反馈', 'feedback'],
    ['fk', 'FK', 'feedback'],
    ['建议', '建议', 'suggestion'],
    ['举报', '举报', 'complaint'],
  ])('%j is taken by %s (%s)', (word, keyword, command) => {
    expect(systemKeywordOf(word)).toEqual({ keyword, command });
  });

  it.each(['VIP', '会员日', 'T恤', 'JOINED', 'TX'])('%j is free', (word) => {
    expect(systemKeywordOf(word)).toBeUndefined();
  });

  it("takes the merchant's own opt-out words, folded", () => {
    expect(systemKeywordOf('ｂｙｅ', { optOutKeywords: ['Bye'] })).toEqual({
      keyword: 'BYE',
      command: 'opt-out',
    });
    expect(systemKeywordOf('bye')).toBeUndefined();
  });

  it('agrees with readKeyword: a word is taken exactly when a text of it is read as a keyword', () => {
    const pieces = ['积', '分', '反', '馈', '会', '员', 'T', 'j', 'f', 'k', 'Ｊ', 'ｆ', ' ', '。', '!', '1'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...pieces), minLength: 1, maxLength: 6 }), (word) => {
        expect(systemKeywordOf(word) === undefined).toBe(read(word).kind === 'unknown');
      }),
    );
  });
});

describe('exchange (兑换)', () => {
  it.each([
    ['兑换', { kind: 'exchange', lang: 'zh' }],
    ['ＤＨ', { kind: 'exchange', lang: 'zh' }],
    [' dh！', { kind: 'exchange', lang: 'zh' }],
    ['兌換', { kind: 'exchange', lang: 'zh' }],
    ['兑換。', { kind: 'exchange', lang: 'zh' }],
    ['exchange', { kind: 'exchange', lang: 'en' }],
    ['兑换 umb', { kind: 'exchange', lang: 'zh', code: 'UMB' }],
    ['兑换UMB', { kind: 'exchange', lang: 'zh', code: 'UMB' }],
    ['兌換　ＵＭＢ。', { kind: 'exchange', lang: 'zh', code: 'UMB' }],
    ['兑换 １２', { kind: 'exchange', lang: 'zh', code: '12' }],
    ['DH, umb', { kind: 'exchange', lang: 'zh', code: 'UMB' }],
    ['兑换 @@', { kind: 'exchange', lang: 'zh', unreadable: true }],
    ['兑换 雨伞', { kind: 'exchange', lang: 'zh', unreadable: true }],
    ['兑换 1', { kind: 'exchange', lang: 'zh', unreadable: true }],
    [`兑换 ${'A'.repeat(21)}`, { kind: 'exchange', lang: 'zh', unreadable: true }],
    ['积分兑换', { kind: 'points', lang: 'zh' }],
    ['DHL', { kind: 'unknown', lang: 'en' }],
  ])('%j → %j', (text, intent) => {
    expect(read(text)).toEqual(intent);
  });
});
