import { describe, expect, it } from 'vitest';
import {
  memberTemplateValues,
  previewTemplate,
  renderTemplate,
  TemplateError,
  templateSchema,
  templateVariables,
} from '../../../shared/domain/templates';
import { merchantSchema } from '../../../shared/schemas/merchant';

const known =
  'known: name, points, tier, balance, expiry_date, expiring_points, merchant, benefit, years, festival, date, card, uses_left';

const problemsOf = (text: string) => {
  const result = templateSchema.safeParse(text);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
};

describe('templateSchema', () => {
  it('lists the variables a merchant can use', () => {
    expect(templateVariables).toEqual([
      'name',
      'points',
      'tier',
      'balance',
      'expiry_date',
      'expiring_points',
      'merchant',
      'benefit',
      'years',
      'festival',
      'date',
      'card',
      'uses_left',
    ]);
  });

  it.each(templateVariables)('accepts {{%s}}, with or without spaces inside the braces', (variable) => {
    expect(problemsOf(`Hi {{${variable}}} and {{ ${variable} }}`)).toEqual([]);
  });

  it('keeps the text trimmed', () => {
    expect(templateSchema.parse('  {{name}}，生日快乐！ \n')).toBe('{{name}}，生日快乐！');
  });

  it.each([
    ['{{nmae}}，您好', [`unknown variable {{nmae}}; ${known}`]],
    ['Hi {{Name}}', [`unknown variable {{Name}}; ${known}`]],
    ['{{x}} and {{x}} and {{y}}', [`unknown variable {{x}}; ${known}`, `unknown variable {{y}}; ${known}`]],
    ['Your points: {{points', ['unclosed {{ at character 14']],
    ['积分{{points 还有{{name}}', ['unclosed {{ at character 3']],
    ['Hi {{name}, welcome', ['unclosed {{ at character 4']],
    ['Hi name}} welcome', ['unmatched }} at character 8']],
    ['Hi {{ }} welcome', ['empty {{}} at character 4']],
    ['😀 {{', ['unclosed {{ at character 3']],
  ])('refuses %j with a reason', (text, problems) => {
    expect(problemsOf(text)).toEqual(problems);
  });

  it.each([
    ['', 'template: write the text of the message'],
    ['   ', 'template: write the text of the message'],
    ['a'.repeat(501), 'template: at most 500 characters'],
  ])('refuses a text of the wrong length: %j', (text, problem) => {
    expect(problemsOf(text)).toEqual([problem]);
  });

  it('accepts 500 characters, and single braces as plain text', () => {
    expect(problemsOf('a'.repeat(500))).toEqual([]);
    expect(problemsOf('{code} {name} }')).toEqual([]);
  });
});

describe('renderTemplate', () => {
  it.each([
    ['name', '张三', '张三'],
    ['points', 1200, '1200'],
    ['tier', '金卡', '金卡'],
    ['balance', 12345, '123.45'],
    ['balance', 5, '0.05'],
    ['balance', '88.00', '88.00'],
    ['expiry_date', '2025-12-31', '2025-12-31'],
    ['expiring_points', 300, '300'],
    ['merchant', '示例咖啡', '示例咖啡'],
    ['benefit', '生日蛋糕', '生日蛋糕'],
    ['years', 3, '3'],
    ['festival', '中秋节', '中秋节'],
    ['date', '2025-10-06', '2025-10-06'],
  ] as const)('fills {{%s}} with %j as %j', (variable, value, shown) => {
    expect(renderTemplate(`[{{ ${variable} }}]`, { [variable]: value })).toBe(`[${shown}]`);
  });

  it('addresses a member without a name as 会员 in Chinese and member otherwise', () => {
    expect(renderTemplate('{{name}}您好，积分{{points}}', {})).toBe('会员您好，积分0');
    expect(renderTemplate('Hi {{name}}, you have {{points}} points', {})).toBe(
      'Hi member, you have 0 points',
    );
    expect(renderTemplate('Hi {{name}}', { name: '  ' })).toBe('Hi member');
  });

  it('shows 0 for missing numbers and 0.00 for a missing balance', () => {
    expect(renderTemplate('{{expiring_points}}/{{years}}/{{balance}}', {})).toBe('0/0/0.00');
  });

  it('uses the defaults given before its own', () => {
    expect(
      renderTemplate('{{merchant}}: hi {{name}}', { name: 'Li' }, { merchant: 'Cafe', name: 'friend' }),
    ).toBe('Cafe: hi Li');
    expect(renderTemplate('Hi {{name}}', {}, { name: 'friend' })).toBe('Hi friend');
  });

  it.each([
    ['{{name}}，您的等级是{{tier}}，积分{{points}}', '会员，您的等级是会员，积分0'],
    ['Your tier: {{tier}}.', 'Your tier: member.'],
    ['祝您{{festival}}快乐！', '祝您节日快乐！'],
    ['Happy {{festival}}! See you', 'Happy holiday! See you'],
    ['您的{{expiring_points}}积分将于{{expiry_date}}到期', '您的0积分将于近期到期'],
    ['{{benefit}}已到账', '会员礼遇已到账'],
    ['Thanks from {{merchant}}, {{date}}', 'Thanks from us, today'],
  ])('never leaves a missing value as nothing: %j', (template, text) => {
    expect(renderTemplate(template, {})).toBe(text);
  });

  it('inserts values literally, never expanding placeholders inside them', () => {
    expect(renderTemplate('Hi {{name}}, {{points}} points', { name: '{{points}}', points: 5 })).toBe(
      'Hi {{points}}, 5 points',
    );
    expect(renderTemplate('{{name}}', { name: '$& $1 }}' })).toBe('$& $1 }}');
  });

  it('throws a TemplateError for a template that should have been refused when saved', () => {
    expect(() => renderTemplate('Hi {{nmae}}', {})).toThrow(TemplateError);
    expect(() => renderTemplate('Hi {{name', {})).toThrow('unclosed {{ at character 4');
  });
});

describe('previewTemplate', () => {
  it('signs the text and counts 70 Chinese characters, signature included, as one part', () => {
    // 【示例】 is 4 characters and 会员 2, so 64 more make 70.
    const preview = previewTemplate(`{{name}}${'积'.repeat(64)}`, {}, '【示例】');
    expect(preview).toEqual({
      text: `【示例】会员${'积'.repeat(64)}`,
      encoding: 'UCS-2',
      units: 70,
      segments: 1,
    });
  });

  it('needs two parts at 71 characters', () => {
    expect(previewTemplate(`{{name}}${'积'.repeat(65)}`, {}, '【示例】')).toMatchObject({
      encoding: 'UCS-2',
      units: 71,
      segments: 2,
    });
  });

  it('counts the filled-in values, not the placeholders', () => {
    const preview = previewTemplate(
      '{{name}}，您有{{points}}积分',
      { name: '王小明', points: 12345 },
      '【示例】',
    );
    expect(preview).toMatchObject({ text: '【示例】王小明，您有12345积分', units: 17, segments: 1 });
  });

  it('counts an unsigned English text as GSM-7: 160 characters in one part, 161 in two', () => {
    const filler = 'a'.repeat(160 - 'Hi member'.length);
    expect(previewTemplate(`Hi {{name}}${filler}`, {}, '')).toMatchObject({
      encoding: 'GSM-7',
      units: 160,
      segments: 1,
    });
    expect(previewTemplate(`Hi {{name}}${filler}a`, {}, '')).toMatchObject({
      encoding: 'GSM-7',
      units: 161,
      segments: 2,
    });
  });

  it('sends even an English text as UCS-2 once a 【】 signature is added', () => {
    expect(previewTemplate('Hi {{name}}', {}, '【Shop】')).toEqual({
      text: '【Shop】Hi member',
      encoding: 'UCS-2',
      units: 15,
      segments: 1,
    });
  });
});

describe('memberTemplateValues', () => {
  const merchant = merchantSchema.parse({
    merchantId: 'shop-1',
    name: '花店',
    signature: '【花店】',
    senderNumber: '+8610690000',
    defaultCountry: 'CN',
    timeZone: 'Asia/Shanghai',
    createdAt: '2026-01-01T00:00:00.000Z',
  });

  it("fills a member's name, points, tier name and balance, with the merchant and the date", () => {
    const member = { name: '小明', points: 120, tier: 'gold', storedValue: 5000 };
    expect(memberTemplateValues(member, merchant, '2027-01-04')).toEqual({
      name: '小明',
      points: 120,
      tier: '金卡',
      balance: 5000,
      merchant: '花店',
      date: '2027-01-04',
    });
  });

  it('fills only the merchant and the date for a test phone, which is no member', () => {
    expect(memberTemplateValues(undefined, merchant, '2027-01-04')).toEqual({
      merchant: '花店',
      date: '2027-01-04',
    });
  });
});
