import { describe, expect, it } from 'vitest';
import {
  ImportFileError,
  type ImportFormat,
  type ImportRow,
  maxRowBytes,
  readImportRows,
} from '../../../shared/domain/member-import';

const context = { defaultCountry: 'CN', today: '2026-11-23' };

async function* chunked(chunks: readonly (Buffer | string)[]) {
  for (const chunk of chunks) yield chunk;
}

async function read(
  chunks: readonly (Buffer | string)[] | string,
  format: ImportFormat,
): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  const source = typeof chunks === 'string' ? [chunks] : chunks;
  for await (const row of readImportRows(chunked(source), format, context)) rows.push(row);
  return rows;
}

const errors = (rows: ImportRow[]) =>
  rows.flatMap((r) => ('error' in r ? [{ row: r.row, error: r.error }] : []));
const members = (rows: ImportRow[]) =>
  rows.flatMap((r) => ('member' in r ? [{ row: r.row, ...r.member }] : []));

/** Every way of cutting the bytes in two, plus one byte at a time. */
function splits(bytes: Buffer): Buffer[][] {
  const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => [
    bytes.subarray(0, i + 1),
    bytes.subarray(i + 1),
  ]);
  return [...cuts, [...bytes].map((byte) => Buffer.from([byte]))];
}

describe('readImportRows: CSV', () => {
  const file =
    '\uFEFFphone,name,gender,birthday,city,tags,attr.level,attr.note\r\n' +
    '13800138000,张三,female,1990-05-01,上海,vip;新客,gold,"likes tea, not coffee"\r\n' +
    '\r\n' +
    '+86 138 0013 8001,"Li ""Lucky"" Si",,,,,,"line one\r\nline two"\r\n' +
    '138-0013-8002,王五,,,,  ; vip ;,,\r\n';

  it('reads quoted cells, doubled quotes, commas and line breaks in cells, a BOM, CRLF, tags and attributes', async () => {
    expect(await read(file, 'csv')).toEqual([
      {
        row: 1,
        member: {
          phone: '+8613800138000',
          name: '张三',
          gender: 'female',
          birthday: '1990-05-01',
          city: '上海',
          tags: ['vip', '新客'],
          attributes: { level: 'gold', note: 'likes tea, not coffee' },
        },
      },
      // The blank line is skipped and not counted: rows are data rows.
      {
        row: 2,
        member: {
          phone: '+8613800138001',
          name: 'Li "Lucky" Si',
          attributes: { note: 'line one\r\nline two' },
        },
      },
      { row: 3, member: { phone: '+8613800138002', name: '王五', tags: ['vip'] } },
    ]);
  });

  it('reads the same rows however the bytes are split into chunks, even inside a character or a CRLF', async () => {
    const expected = await read(file, 'csv');
    for (const chunks of splits(Buffer.from(file))) expect(await read(chunks, 'csv')).toEqual(expected);
  });

  it('accepts profile column names in any case, in any order, with LF line ends and no final line end', async () => {
    expect(await read(' Name ,PHONE\n张三,13800138000', 'csv')).toEqual([
      { row: 1, member: { phone: '+8613800138000', name: '张三' } },
    ]);
  });

  it('reads the referrer (referrerPhone) apart from the profile, by CSV and JSON lines', async () => {
    expect(await read('phone,name,referrerPhone\n13800138000,张三,13900139000\n', 'csv')).toEqual([
      { row: 1, member: { phone: '+8613800138000', name: '张三' }, referrerPhone: '13900139000' },
    ]);
    expect(await read('{"phone":"13800138000","referrerPhone":13900139000}\n', 'jsonl')).toEqual([
      { row: 1, error: 'referrerPhone: a mobile number, e.g. +8613800138000' },
    ]);
  });

  it('keeps a quote inside a cell that is not quoted', async () => {
    expect(members(await read('phone,name\n13800138000,5" screen fan\n', 'csv'))).toEqual([
      { row: 1, phone: '+8613800138000', name: '5" screen fan' },
    ]);
  });

  it('reports each bad row with its row number and reason, and reads the good ones', async () => {
    const rows = await read(
      [
        'phone,name,gender,birthday,tags,attr.level',
        '13800138000,ok,,,,',
        '12345,bad phone,,,,',
        '+861069000000,landline,,,,',
        ',no phone,,,,',
        '13800138001,,unknown,,,',
        '13800138002,,,2030-01-01,,',
        '13800138003,,,1990-02-30,,',
        '13800138004,<b>,,,,',
        '13800138005,,,,"a,b",',
        `13800138006,,,,,${'x'.repeat(201)}`,
        '13800138007,too,many,cells,,,,extra',
        '13800138008,too few',
        '+86 138 0013 8000,again,,,,',
        '13800138009,ok,,,,,,',
      ].join('\n'),
      'csv',
    );
    expect(members(rows).map((m) => m.row)).toEqual([1, 14]);
    expect(errors(rows)).toEqual([
      { row: 2, error: 'phone: 12345 is not a valid phone number' },
      { row: 3, error: 'phone: +861069000000 is not a mobile number' },
      { row: 4, error: 'phone is required: the mobile number, e.g. +8613800138000' },
      { row: 5, error: expect.stringMatching(/^gender: /) },
      { row: 6, error: 'birthday: a past date after 1900' },
      { row: 7, error: 'birthday: a real date as YYYY-MM-DD or YYYYMMDD' },
      { row: 8, error: 'name may not contain < > { } or \\' },
      { row: 9, error: 'tags may not contain , or ;' },
      { row: 10, error: expect.stringMatching(/^attr\.level: /) },
      { row: 11, error: 'the row has 8 cells; the header has 6 columns' },
      { row: 12, error: 'the row has 2 cells; the header has 6 columns' },
      { row: 13, error: 'duplicate phone in this file, first at row 1' },
    ]);
  });

  it('refuses a header with unknown, repeated or malformed columns, naming them', async () => {
    await expect(read('phone,nickname,email,attr.level\n13800138000,a,b,c\n', 'csv')).rejects.toThrow(
      /unknown columns: nickname, email \(known: phone, name, gender, birthday, city, tags, consent, referrerPhone, and attr\.<name>/,
    );
    await expect(read('phone,name,Name\n', 'csv')).rejects.toThrow('columns named more than once: name');
    await expect(read('phone,attr.2nd\n', 'csv')).rejects.toThrow(
      /attribute columns attr\.2nd: names are a letter/,
    );
    await expect(read('name,city\n张三,上海\n', 'csv')).rejects.toThrow('no phone column');
    await expect(read('phone,,name\n', 'csv')).rejects.toThrow('unknown columns: (a column with no name)');
    await expect(read('', 'csv')).rejects.toBeInstanceOf(ImportFileError);
    await expect(read('"phone,name\n13800138000,x\n', 'csv')).rejects.toThrow(
      'the header row cannot be read: a quoted cell in this row is never closed',
    );
  });

  it('reads consent as proof of an opt-in, and refuses a bare yes or no in its place', async () => {
    const rows = await read(
      'phone,consent\n13800138000,"paper form, Xuhui store"\n13800138001,\n13800138002,yes\n13800138003,否\n',
      'csv',
    );
    expect(members(rows)).toEqual([
      { row: 1, phone: '+8613800138000', marketingConsent: { source: 'paper form, Xuhui store' } },
      { row: 2, phone: '+8613800138001' },
    ]);
    expect(errors(rows)).toEqual([
      { row: 3, error: expect.stringMatching(/^consent: .*a bare yes or no is no proof/) },
      { row: 4, error: expect.stringMatching(/^consent: .*a bare yes or no is no proof/) },
    ]);
  });

  it('reads a header with no rows as no rows', async () => {
    expect(await read('phone,name\r\n', 'csv')).toEqual([]);
  });

  it('stops at a quote that is never closed, reporting that row, after reading the rows before it', async () => {
    const rows = await read('phone,name\n13800138000,ok\n13800138001,"open\n13800138002,lost\n', 'csv');
    expect(members(rows).map((m) => m.row)).toEqual([1]);
    expect(errors(rows)).toEqual([
      { row: 2, error: 'a quoted cell in this row is never closed; the rows after it were not read' },
    ]);
  });

  it('stops at a row longer than the limit instead of holding it in memory', async () => {
    const rows = await read(`phone,name\n13800138000,"${'x'.repeat(maxRowBytes)}"\n13800138001,ok\n`, 'csv');
    expect(errors(rows)).toEqual([
      {
        row: 1,
        error: expect.stringMatching(
          /^the row is longer than 65536 bytes .*the rows after it were not read$/,
        ),
      },
    ]);
  });
});

describe('readImportRows: JSON lines', () => {
  const file =
    '\uFEFF{"phone":"13800138000","name":"张三","tags":["vip"],"attributes":{"visits":3,"vip":true,"note":"x"}}\r\n' +
    '\r\n' +
    '{"phone":"+86 138 0013 8001","birthday":"1990-05-01","city":"北京","gender":"male"}\n' +
    '   \n' +
    '{"phone":"13800138002"}';

  it('reads one object a line, keeping attribute types, numbered by line with blank lines counted', async () => {
    expect(await read(file, 'jsonl')).toEqual([
      {
        row: 1,
        member: {
          phone: '+8613800138000',
          name: '张三',
          tags: ['vip'],
          attributes: { visits: 3, vip: true, note: 'x' },
        },
      },
      { row: 3, member: { phone: '+8613800138001', birthday: '1990-05-01', city: '北京', gender: 'male' } },
      { row: 5, member: { phone: '+8613800138002' } },
    ]);
  });

  it('reads the same rows however the bytes are split into chunks', async () => {
    const expected = await read(file, 'jsonl');
    for (const chunks of splits(Buffer.from(file))) expect(await read(chunks, 'jsonl')).toEqual(expected);
  });

  it('reports each bad line with its line number and reason, and reads the good ones', async () => {
    const rows = await read(
      [
        '{"phone":"13800138000"}',
        '{"phone":"13800138001",',
        '["13800138002"]',
        '{"phone":"13800138003","email":"a@b.c","nickname":"x"}',
        '{"phone":13800138004}',
        '{"phone":"13800138005","tags":"vip"}',
        '{"phone":"13800138006","attributes":{"2nd":1}}',
        '{"phone":"13800138007","name":null}',
        '{"phone":"+8613800138000"}',
        '{"phone":"13800138008"}',
      ].join('\n'),
      'jsonl',
    );
    expect(members(rows).map((m) => m.row)).toEqual([1, 10]);
    expect(errors(rows)).toEqual([
      { row: 2, error: expect.stringMatching(/^the line is not valid JSON: /) },
      { row: 3, error: 'the line must be a JSON object, e.g. {"phone":"+8613800138000"}' },
      { row: 4, error: expect.stringMatching(/"email".*"nickname"/) },
      { row: 5, error: 'phone is required: the mobile number, e.g. +8613800138000' },
      { row: 6, error: expect.stringMatching(/^tags: /) },
      { row: 7, error: 'attributes.2nd: attribute names: a letter, then letters, digits or _ (40 at most)' },
      { row: 8, error: expect.stringMatching(/^name: /) },
      { row: 9, error: 'duplicate phone in this file, first at row 1' },
    ]);
  });

  it('refuses a name with a control character or half a surrogate pair, with the reason', async () => {
    const rows = await read(
      [
        '{"phone":"13800138000","name":"张\\u0007三"}',
        '{"phone":"13800138001","name":"李\\ud83d"}',
        '{"phone":"13800138002","name":"王五😀"}',
      ].join('\n'),
      'jsonl',
    );
    expect(members(rows).map((m) => m.row)).toEqual([3]);
    expect(errors(rows)).toEqual([
      { row: 1, error: 'name may not contain control characters (line breaks, tabs …): found U+0007' },
      { row: 2, error: 'name has a broken character (half of an emoji or other character): type it again' },
    ]);
    const csv = await read(['phone,name', '13800138000,"张\t三"', '13800138001,赵六'].join('\n'), 'csv');
    expect(errors(csv)).toEqual([
      { row: 1, error: 'name may not contain control characters (line breaks, tabs …): found U+0009' },
    ]);
  });

  it('refuses a line longer than the limit without keeping it, and goes on with the next line', async () => {
    const long = `{"phone":"13800138000","name":"${'x'.repeat(maxRowBytes)}"}`;
    const rows = await read(
      [long.slice(0, 40_000), long.slice(40_000), '\n{"phone":"13800138001"}\n'],
      'jsonl',
    );
    expect(rows).toEqual([
      { row: 1, error: `the line is longer than ${maxRowBytes} bytes` },
      { row: 2, member: { phone: '+8613800138001' } },
    ]);
  });
});

describe('readImportRows: streaming', () => {
  it.each(['csv', 'jsonl'] as const)(
    '%s: fails when the source fails (the import stops; running it again is safe)',
    async (format) => {
      async function* failing() {
        yield format === 'csv' ? 'phone\n13800138000\n' : '{"phone":"13800138000"}\n';
        throw new Error('connection reset');
      }
      await expect(async () => {
        for await (const _ of readImportRows(failing(), format, context));
      }).rejects.toThrow('connection reset');
    },
  );

  it.each(['csv', 'jsonl'] as const)(
    '%s: yields rows as they arrive, without reading the whole source',
    async (format) => {
      let produced = 0;
      async function* endless() {
        if (format === 'csv') yield 'phone\n';
        for (;;) {
          produced++;
          const phone = `139${String(produced).padStart(8, '0')}`;
          yield format === 'csv' ? `${phone}\n` : `{"phone":"${phone}"}\n`;
        }
      }
      const rows: ImportRow[] = [];
      for await (const row of readImportRows(endless(), format, context)) {
        rows.push(row);
        if (rows.length === 3) break;
      }
      expect(members(rows).map((m) => m.phone)).toEqual([
        '+8613900000001',
        '+8613900000002',
        '+8613900000003',
      ]);
      // Stream buffers read ahead a little; nowhere near the whole (endless) file.
      expect(produced).toBeLessThan(100_000);
    },
  );
});
