import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ImportFileError,
  type ImportFormat,
  type ImportRow,
  readImportRows,
} from '../../shared/domain/member-import';
import { unstorableNumberPath } from '../../shared/schemas/storable-number';
import { fullWidth, hostileText } from './hostile-text';

const context = { defaultCountry: 'CN', today: '2026-11-23' };

/** What reading a file gave: its rows, or the reason the whole file was refused. */
type Outcome = { rows: ImportRow[] } | { refused: string };

async function read(chunks: readonly Buffer[], format: ImportFormat): Promise<Outcome> {
  async function* source() {
    yield* chunks;
  }
  const rows: ImportRow[] = [];
  try {
    for await (const row of readImportRows(source(), format, context)) rows.push(row);
    return { rows };
  } catch (error) {
    // Anything but a reason for the merchant is a fault.
    expect(error).toBeInstanceOf(ImportFileError);
    expect((error as Error).message).not.toBe('');
    return { refused: (error as Error).message };
  }
}

/** The bytes cut at the given points, which may fall inside a character or a line end. */
function cut(bytes: Buffer, points: readonly number[]): Buffer[] {
  const at = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length));
}

/** Every row says which row it is, in order, and either a member with a mobile number or a reason. */
function expectWellFormed(outcome: Outcome) {
  if ('refused' in outcome) return;
  let previous = 0;
  const phones = new Set<string>();
  for (const row of outcome.rows) {
    expect(Number.isInteger(row.row) && row.row > previous).toBe(true);
    previous = row.row;
    if ('error' in row) {
      expect(typeof row.error).toBe('string');
      expect(row.error.trim()).not.toBe('');
    } else {
      expect(row.member.phone).toMatch(/^\+[1-9]\d{6,14}$/);
      expect(phones.has(row.member.phone)).toBe(false);
      phones.add(row.member.phone);
    }
  }
}

const phone = fc.constantFrom(
  '13800138000',
  '+86 138 0013 8001',
  '138-0013-8002',
  fullWidth('13800138003'),
  '+8613800138000',
  '12345',
  '+861069000000',
  '',
  '١٣٨٠٠١٣٨٠٠٤',
  '+1 415 555 2671',
);
const birthday = fc.constantFrom(
  '1990-05-01',
  fullWidth('1990-05-01'),
  '1990/5/1',
  '2030-01-01',
  '1990-02-30',
  '',
);
const cell = fc.oneof(
  phone,
  birthday,
  hostileText(12),
  fc.constantFrom('female', 'vip;新客', '"', '""', ',', '\n', '\r'),
);

/** A cell as a spreadsheet writes it (quoted, quotes doubled) or as a hand-edited file may (raw). */
const written = fc
  .tuple(cell, fc.boolean())
  .map(([text, quoted]) => (quoted ? `"${text.replaceAll('"', '""')}"` : text));

const headers = fc.oneof(
  { weight: 5, arbitrary: fc.constant(['phone', 'name', 'birthday', 'tags', 'consent', 'attr.level']) },
  { weight: 2, arbitrary: fc.constant(['Name', ' PHONE ', 'city', 'gender']) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(['name'], ['phone', 'phone'], ['phone', 'attr.1x'], ['phone', '😀']),
  },
);

const csvFile = fc
  .tuple(
    headers,
    fc.array(fc.array(written, { maxLength: 7 }), { maxLength: 12 }),
    fc.constantFrom('\n', '\r\n', '\r'),
    fc.boolean(),
  )
  .map(
    ([header, rows, end, bom]) =>
      (bom ? '\uFEFF' : '') + [header.join(','), ...rows.map((cells) => cells.join(','))].join(end),
  );

/** A JSON lines row: a member with one field of any JSON, any JSON at all, or not JSON. */
const jsonLine = fc.oneof(
  fc
    .tuple(
      fc.record({ phone, name: hostileText(10), birthday }, { requiredKeys: ['phone'] }),
      fc.constantFrom(
        'name',
        'gender',
        'birthday',
        'tags',
        'attributes',
        'marketingConsent',
        'extra',
        '__proto__',
      ),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map(([member, field, value]) => JSON.stringify({ ...member, [field]: value })),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  hostileText(30),
  fc.constant(''),
);
const jsonlFile = fc
  .tuple(fc.array(jsonLine, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'))
  .map(([lines, end]) => lines.join(end));

const cutPoints = fc.array(fc.nat(), { maxLength: 6 });

describe('member import files', () => {
  it.each([
    ['csv', csvFile],
    ['jsonl', jsonlFile],
  ] as const)(
    'reads any %s file as numbered rows or one reason, however its bytes arrive',
    async (format, file) => {
      await fc.assert(
        fc.asyncProperty(file, cutPoints, async (text, points) => {
          const bytes = Buffer.from(text);
          const whole = await read([bytes], format);
          expectWellFormed(whole);
          expect(await read(cut(bytes, points), format)).toEqual(whole);
        }),
        { numRuns: 300 },
      );
    },
  );

  it('accepts no row holding a number a table cannot hold: it would fail the import at its write', async () => {
    const number = fc.oneof(
      fc.double(),
      fc.constantFrom(2 ** 53, -(2 ** 53), 1e300, 1e-200, 5e-324, -0, 0.1, Number.MAX_SAFE_INTEGER),
    );
    const row = fc
      .tuple(
        fc.constantFrom('13800138000', '13800138001'),
        fc.dictionary(fc.constantFrom('level', 'visits', 'x'), number),
      )
      .map(([phone, attributes]) => JSON.stringify({ phone, attributes }));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 4 }), async (lines) => {
        const outcome = await read([Buffer.from(lines.join('\n'))], 'jsonl');
        if ('refused' in outcome) throw new Error(outcome.refused);
        for (const accepted of outcome.rows) {
          if ('error' in accepted) continue;
          expect(unstorableNumberPath(accepted.member)).toBeUndefined();
        }
      }),
      {
        numRuns: 100,
        examples: [[[JSON.stringify({ phone: '13800138000', attributes: { visits: 1e300 } })]]],
      },
    );
  });

  it('numbers JSON lines by their line, blank lines counted but never reported', async () => {
    await fc.assert(
      fc.asyncProperty(jsonlFile, async (text) => {
        const outcome = await read([Buffer.from(text)], 'jsonl');
        if ('refused' in outcome)
          throw new Error(`a JSON lines file is never refused whole: ${outcome.refused}`);
        const lines = text.split('\n');
        for (const { row } of outcome.rows) expect(lines[row - 1]?.trim()).not.toBe('');
        expect(outcome.rows.length).toBe(lines.filter((line) => line.trim() !== '').length);
      }),
      { numRuns: 200 },
    );
  });
});
