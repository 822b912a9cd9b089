import fc from 'fast-check';

/**
 * Text as phones, spreadsheets and scripts really send it: emoji (surrogate pairs, skin tones, ZWJ
 * families, flags), right-to-left scripts and the marks that flip direction, control characters,
 * zero-width characters, full-width forms, combining marks and lone surrogates.
 */
export const hostilePieces = {
  emoji: ['😀', '👍🏽', '👨‍👩‍👧', '🇨🇳', '❤️', '🧧', '\u{1F600}\u{FE0F}'],
  rightToLeft: ['مرحبا', 'شكرا', 'שלום', 'תודה', '\u202E', '\u202D', '\u200F', '\u200E', '\u2067', '\u2069'],
  control: ['\u0000', '\u0007', '\u001B', '\u007F', '\u0085', '\t', '\r', '\n', '\r\n', '\u000B', '\f'],
  zeroWidth: ['\u200B', '\u200C', '\u200D', '\uFEFF', '\u2060', '\u00AD'],
  spaces: [' ', '\u3000', '\u00A0', '\u2002', '\u2028', '\u2029', '\u202F'],
  fullWidth: ['１', '９', '０', 'Ｔ', 'Ｄ', 'ｓ', 'Ｏ', '！', '。', '－', '／'],
  scripts: ['张三', '积分', 'Ивана', 'ΣΟΦΙΑ', 'ﾃｽﾄ', '한글', 'ß', 'ﬁ', 'e\u0301', 'Z\u0335\u0321'],
  loneSurrogates: ['\uD83D', '\uDE00'],
  markup: ['<', '>', '{', '}', '\\', '"', "'", '{{name}}', '}}', ',', ';', '%', '$'],
} as const;

const allPieces = Object.values(hostilePieces).flat();

/** One hostile piece, or an ordinary printable character. */
export const hostileUnit = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...allPieces) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** Up to `maxLength` hostile pieces; the string may be longer in UTF-16 units than that. */
export const hostileText = (maxLength = 40) => fc.string({ unit: hostileUnit, maxLength });

/** Long texts: a hostile run repeated or padded out to about 2,000 characters. */
export const longHostileText = fc
  .tuple(hostileText(20), fc.integer({ min: 1_601, max: 2_000 }))
  .map(([seed, length]) =>
    (seed || 'x').repeat(Math.ceil(length / Math.max(1, seed.length))).slice(0, length),
  );

/** Characters that vanish when a text is read: spaces, control, zero-width and direction marks. */
export const invisibleNoise = fc.string({
  unit: fc.constantFrom(
    ...hostilePieces.spaces,
    ...hostilePieces.control,
    ...hostilePieces.zeroWidth,
    ...hostilePieces.rightToLeft.filter((piece) => piece.length === 1),
  ),
  maxLength: 6,
});

/** ASCII letters, digits and punctuation in their full-width forms (Ａ, １, ！), as Chinese keyboards type them. */
export function fullWidth(text: string): string {
  return text.replace(/[!-~]/g, (char) => String.fromCharCode(char.charCodeAt(0) + 0xfee0));
}
