import { describe, expect, it } from 'vitest';
import { routeRoles } from '../../../functions/merchant-api/route-roles';
import { readKeyword } from '../../../shared/domain/keywords';
import { roles } from '../../../shared/domain/staff';
import {
  mayUse,
  readStaffCommand,
  readYuan,
  type StaffAction,
  staffCommandRoles,
} from '../../../shared/domain/staff-commands';
import { staffReplies, yuan } from '../../../shared/domain/staff-replies';

const read = (text: string) => readStaffCommand(text, 'CN');
const phone = '+8613800138000';

describe('staff commands', () => {
  it('reads each command in pinyin, Chinese and English', () => {
    for (const text of ['JF 13800138000 88', '加分 13800138000 88', 'earn 13800138000 88'])
      expect(read(text)).toMatchObject({ kind: 'earn', phone, cents: 8800 });
    for (const text of ['HX K7MW3QXR', '核销 K7MW3QXR', 'REDEEM K7MW3QXR'])
      expect(read(text)).toMatchObject({ kind: 'redeem', couponCode: 'K7MW3QXR' });
    for (const text of ['CX 13800138000', '查询 13800138000', 'LOOKUP +8613800138000'])
      expect(read(text)).toMatchObject({ kind: 'lookup', phone });
    for (const text of ['CZ 13800138000 200', '充值 13800138000 200', 'TOPUP 13800138000 200'])
      expect(read(text)).toMatchObject({ kind: 'top-up', phone, cents: 20_000 });
    for (const text of ['RB', '日报', 'summary']) expect(read(text)).toMatchObject({ kind: 'summary' });
    expect(read('帮助')).toEqual({ kind: 'help', lang: 'zh' });
    expect(read('HELP')).toEqual({ kind: 'help', lang: 'en' });
    expect(read('JF 13800138000 88')?.lang).toBe('zh');
    expect(read('EARN 13800138000 88')?.lang).toBe('en');
  });

  it('folds as customer keywords are: case, width, spaces, punctuation, traditional characters', () => {
    expect(read('ｊｆ　１３８００１３８０００　　８８．５元。')).toMatchObject({ kind: 'earn', cents: 8850 });
    expect(read(' hx, k7mw-3qxr! ')).toMatchObject({ kind: 'redeem', couponCode: 'K7MW3QXR' });
    expect(read('核銷K7MW 3QXR')).toMatchObject({ kind: 'redeem', couponCode: 'K7MW3QXR' });
    expect(read('查詢13800138000')).toMatchObject({ kind: 'lookup', phone });
    expect(read('日報。')).toMatchObject({ kind: 'summary' });
    expect(read('加分13800138000，¥88')).toMatchObject({ kind: 'earn', cents: 8800 });
  });

  it('never takes the customer’s points: JF alone and 积分 with anything are the customer’s', () => {
    expect(read('JF')).toBeUndefined();
    expect(read('ｊｆ。')).toBeUndefined();
    expect(readKeyword('JF', '2026-11-23').kind).toBe('points');
    expect(read('积分 13800138000 88')).toBeUndefined();
    expect(read('積分13800138000 88')).toBeUndefined();
    // A customer sending the staff command's shape is still asking for their points.
    expect(readKeyword('JF 13800138000 88', '2026-11-23').kind).toBe('points');
  });

  it('is no command for other texts, nor for a Latin command run into what follows', () => {
    for (const text of ['你好', 'HXK7MW3QXR', 'JF13800138000 88', 'CXY', 'STOP', '', '领取 ROAM90'])
      expect(read(text), text).toBeUndefined();
  });

  it('answers a wrong format with the usage, and says which argument was wrong', () => {
    expect(read('JF 13800138000')).toEqual({
      kind: 'malformed',
      lang: 'zh',
      command: 'earn',
      problem: 'format',
    });
    expect(read('JF 13800138000 88 99')).toMatchObject({ problem: 'format' });
    expect(read('JF 12345 88')).toMatchObject({ command: 'earn', problem: 'phone' });
    expect(read('JF 13800138000 八十八')).toMatchObject({ command: 'earn', problem: 'amount' });
    expect(read('CZ 13800138000 0')).toMatchObject({ command: 'top-up', problem: 'amount' });
    expect(read('CZ 13800138000 1.234')).toMatchObject({ command: 'top-up', problem: 'amount' });
    expect(read('HX')).toMatchObject({ command: 'redeem', problem: 'format' });
    expect(read('HX K7MW3QX0')).toMatchObject({ command: 'redeem', problem: 'code' });
    expect(read('HX K7MW3QXRR')).toMatchObject({ command: 'redeem', problem: 'code' });
    expect(read('CX')).toMatchObject({ command: 'lookup', problem: 'format' });
    expect(read('RB 今天')).toMatchObject({ command: 'summary', problem: 'format' });
    expect(read('加分')).toMatchObject({ command: 'earn', problem: 'format' });
    expect(staffReplies.usage('zh', 'earn', 'format')).toBe(
      '格式：JF 手机号 消费金额（元），例如 JF 13800138000 88',
    );
    expect(staffReplies.usage('zh', 'earn', 'phone')).toBe(
      '手机号有误。格式：JF 手机号 消费金额（元），例如 JF 13800138000 88',
    );
    expect(staffReplies.usage('en', 'redeem', 'code')).toMatch(
      /^That is not a coupon code.*REDEEM K7MW3QXR$/,
    );
  });

  it('reads amounts in yuan to the fen, within what one operation may move', () => {
    expect(readYuan('88')).toBe(8800);
    expect(readYuan('88.5')).toBe(8850);
    expect(readYuan('0.01')).toBe(1);
    expect(readYuan('¥88')).toBe(8800);
    expect(readYuan('￥88.00元')).toBe(8800);
    expect(readYuan('1000000')).toBe(100_000_000);
    for (const text of ['0', '0.00', '1000000.01', '-5', '8.888', '88.', '.5', '1e3', '八十', ''])
      expect(readYuan(text), text).toBeUndefined();
    expect(yuan(8800)).toBe('88');
    expect(yuan(8850)).toBe('88.50');
  });
});

describe('who may use each command', () => {
  /** The API route doing what each command does: a role may do both or neither. */
  const sameAs: Record<StaffAction, keyof typeof routeRoles> = {
    earn: 'POST /v1/members/{phone}/points',
    redeem: 'POST /v1/coupons/{couponCode}/redeem',
    lookup: 'GET /v1/members/{phone}',
    'top-up': 'POST /v1/members/{phone}/stored-value/top-up',
    summary: 'GET /v1/stats/daily',
    'use-card': 'POST /v1/members/{phone}/count-cards/{cardId}/use',
  };

  it('keeps to the route table’s roles', () => {
    for (const [command, route] of Object.entries(sameAs))
      expect([...staffCommandRoles[command as StaffAction]].sort(), command).toEqual(
        [...routeRoles[route]].sort(),
      );
  });

  it('lists in the help only what the role may use', () => {
    expect(mayUse('cashier', 'top-up')).toBe(false);
    expect(mayUse('owner', 'top-up')).toBe(true);
    for (const role of roles) {
      const help = staffReplies.help('zh', role, '咖啡馆');
      expect(help.includes('CZ'), role).toBe(role === 'owner');
      for (const word of ['JF', 'HX', 'CX', 'RB']) expect(help).toContain(word);
    }
  });
});
