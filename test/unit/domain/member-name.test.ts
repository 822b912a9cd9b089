import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readKeyword } from '../../../shared/domain/keywords';
import { nameProblem } from '../../../shared/domain/member-name';
import { memberPatchSchema, newMemberSchema } from '../../../shared/schemas/member';

describe("a member's name", () => {
  it('keeps names in any script, emoji whole', () => {
    for (const name of ['张三', '欧阳 青松', 'Zoë O’Brien', '王五😀', '👨‍👩‍👧 家', '𠮷野家']) {
      expect(nameProblem(name), name).toBeUndefined();
    }
  });

  it('refuses half of a surrogate pair, at either end or alone', () => {
    for (const name of ['\uD83D', '张\uD83D', '\uDE00三', `${'😀'.slice(0, 1)}`]) {
      expect(nameProblem(name)).toMatch(/^name has a broken character/);
    }
  });

  it('refuses control characters, naming the one found', () => {
    expect(nameProblem('张\u0000三')).toBe(
      'name may not contain control characters (line breaks, tabs …): found U+0000',
    );
    expect(nameProblem('张\n三')).toMatch(/U\+000A$/);
    expect(nameProblem('张\u007F')).toMatch(/U\+007F$/);
    expect(nameProblem('张\u0085三')).toMatch(/U\+0085$/);
    expect(nameProblem('张\u2028三')).toMatch(/U\+2028$/);
  });

  it('finds a problem in any string that has a lone surrogate or a C0/C1 control, and none otherwise', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (name) => {
        const bad = /\p{Cs}|[\p{Cc}\u2028\u2029]/u.test(name);
        expect(nameProblem(name) !== undefined).toBe(bad);
      }),
      { numRuns: 500 },
    );
  });

  it('is refused with its reason by the API schemas (and so by imports), and by the join keyword when broken', () => {
    const created = newMemberSchema('2026-12-07').safeParse({ phone: '13800138000', name: '张\u0007三' });
    expect(created.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['name', 'name may not contain control characters (line breaks, tabs …): found U+0007'],
    ]);
    expect(memberPatchSchema('2026-12-07').safeParse({ name: '李\uDE00' }).success).toBe(false);
    // A text's control characters are read as spaces before any keyword (normalizeText): none reach a name.
    expect(readKeyword('注册 张\u0007三', '2026-12-07')).toMatchObject({ kind: 'join', name: '张 三' });
    expect(readKeyword('注册 张\uD83D', '2026-12-07')).toMatchObject({
      kind: 'join-invalid',
      problem: 'name',
    });
    expect(readKeyword('注册 王五😀', '2026-12-07')).toMatchObject({ kind: 'join', name: '王五😀' });
  });
});
