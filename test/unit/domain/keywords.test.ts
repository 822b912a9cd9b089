import { describe, expect, it } from 'vitest';
import { normalizeText, readDate, readKeyword } from '../../../shared/domain/keywords';

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
    ['退订', 'opt-out', 'zh'],
    ['td', 'opt-out', 'zh'],
    ['Ｔ', 'opt-out', 'zh'],
    ['t.', 'opt-out', 'zh'],
    ['STOP', 'opt-out', 'en'],
    ['stop sending me texts', 'opt-out', 'en'],
    ['Unsubscribe', 'opt-out', 'en'],
    ['订阅', 'opt-in', 'zh'],
    ['start', 'opt-in', 'en'],
  ])('%j is %s (%s)', (text, kind, lang) => {
    expect(read(text)).toEqual({ kind, lang });
  });

  it.each([
    ['', 'en'],
    ['   ', 'en'],
    ['hello', 'en'],
    ['T shirt', 'en'],
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
