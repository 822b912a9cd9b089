import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSegments } from '../../shared/domain/segments';
import { maxSignedTextLength, signedText, textBilling } from '../../shared/domain/sms-text';
import {
  previewTemplate,
  renderTemplate,
  TemplateError,
  type TemplateValues,
  templateSchema,
  templateVariables,
} from '../../shared/domain/templates';
import { hostilePieces, hostileText } from './hostile-text';

/** Templates as merchants (and their typos) write them: placeholders, stray braces, hostile text. */
const templatePiece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...templateVariables).map((name) => `{{${name}}}`) },
  { weight: 1, arbitrary: fc.constantFrom(...templateVariables).map((name) => `{{ ${name}\u3000}}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('{{nmae}}', '{{}}', '{{', '}}', '{', '}', '{{{name}}}', '{{Name}}'),
  },
  { weight: 3, arbitrary: fc.constantFrom(' ', '，', '。', ':', '：', '!', '、', '\n') },
  { weight: 4, arbitrary: hostileText(6) },
);
const template = fc.array(templatePiece, { maxLength: 12 }).map((pieces) => pieces.join(''));

/** A value without braces: a name, a number, blank, or hostile text. */
const braceFree = (text: string) => !/[{}]/.test(text);
const value = fc.oneof(
  fc.constant(''),
  fc.constant('   '),
  fc.integer({ min: -1_000_000, max: 100_000_000 }),
  hostileText(8).filter(braceFree),
);
const values: fc.Arbitrary<TemplateValues> = fc.record(
  Object.fromEntries(templateVariables.map((name) => [name, value])) as Record<
    (typeof templateVariables)[number],
    typeof value
  >,
  { requiredKeys: [] },
);

const placeholder = new RegExp(`\\{\\{[\\s\\u3000]*(${templateVariables.join('|')})[\\s\\u3000]*\\}\\}`);

describe('templates', () => {
  it('refuses a broken template with reasons, and renders every template it accepts without a placeholder left', () => {
    fc.assert(
      fc.property(template, values, values, (text, given, defaults) => {
        const checked = templateSchema.safeParse(text);
        if (!checked.success) {
          for (const issue of checked.error.issues) expect(issue.message).not.toBe('');
          return;
        }
        const rendered = renderTemplate(checked.data, given, defaults);
        expect(rendered).not.toMatch(placeholder);
        expect(rendered).not.toContain('{{');
        expect(rendered).toBe(rendered.trim());
      }),
      { numRuns: 500 },
    );
  });

  it('throws nothing but a TemplateError, with its problems, on any text', () => {
    fc.assert(
      fc.property(
        fc.oneof(template, fc.string({ unit: 'binary', maxLength: 100 })),
        values,
        (text, given) => {
          try {
            renderTemplate(text, given);
          } catch (error) {
            expect(error).toBeInstanceOf(TemplateError);
            expect((error as TemplateError).problems.length).toBeGreaterThan(0);
            expect((error as TemplateError).problems.every((problem) => problem !== '')).toBe(true);
            expect(templateSchema.safeParse(text).success).toBe(false);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('previews the signed text with the parts it is billed as', () => {
    const accepted = template.filter((text) => templateSchema.safeParse(text).success);
    fc.assert(
      fc.property(accepted, values, (text, given) => {
        const preview = previewTemplate(text, given, '【测试商户】');
        expect(preview.text.startsWith('【测试商户】')).toBe(true);
        expect(preview).toEqual({ text: preview.text, ...countSegments(preview.text) });
      }),
      { numRuns: 200 },
    );
  });
});

describe('signed texts and their billing', () => {
  const body = fc.oneof(hostileText(120), fc.string({ unit: 'binary', maxLength: 600 }));
  const signing = fc.record({
    signature: fc.constantFrom('【测试商户】', '【ＳＨＯＰ】', '【😀店】'),
    unsubscribeLine: fc.constantFrom('回复TD退订', '退订回N', ' Reply STOP to opt out'),
    category: fc.constantFrom('service' as const, 'marketing' as const),
  });

  it('signs once, adds the unsubscribe line only to marketing without one, and signing again adds nothing', () => {
    fc.assert(
      fc.property(body, signing, (text, how) => {
        const signed = signedText(text, how);
        expect(signed.startsWith(how.signature)).toBe(true);
        const unsigned = text.startsWith(how.signature) ? text : how.signature + text;
        // The line follows the text, set apart by a space when the text does not end its sentence.
        expect([unsigned, unsigned + how.unsubscribeLine, `${unsigned} ${how.unsubscribeLine}`]).toContain(
          signed,
        );
        if (how.category === 'service') expect(signed).toBe(unsigned);
        expect(signedText(signed, how)).toBe(signed);
      }),
      { numRuns: 300 },
    );
  });

  it('bills parts that hold the text exactly: no part fewer, none to spare', () => {
    fc.assert(
      fc.property(
        fc.oneof(body, fc.string({ unit: fc.constantFrom(...'a€[{é', '\n'), maxLength: 400 })),
        (text) => {
          const billing = textBilling(text);
          expect(billing.length).toBe(text.length);
          expect(billing.tooLong).toBe(text.length > maxSignedTextLength);
          const [single, perPart] = billing.encoding === 'GSM-7' ? [160, 153] : [70, 67];
          if (billing.encoding === 'UCS-2') expect(billing.units).toBe(text.length);
          else expect(billing.units).toBeGreaterThanOrEqual(text.length);
          if (billing.units <= single) expect(billing.segments).toBe(1);
          else {
            expect(billing.segments * perPart).toBeGreaterThanOrEqual(billing.units);
            expect((billing.segments - 1) * perPart).toBeLessThan(billing.units);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never bills fewer parts for a longer text', () => {
    const piece = fc.constantFrom('a', '€', '积', '😀', ...hostilePieces.emoji);
    fc.assert(
      fc.property(
        fc.string({ unit: piece, maxLength: 300 }),
        fc.string({ unit: piece, maxLength: 30 }),
        (a, b) => {
          expect(textBilling(a + b).segments).toBeGreaterThanOrEqual(textBilling(a).segments);
        },
      ),
      { numRuns: 300 },
    );
  });
});
