import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { type CsvError, type Info, parse } from 'csv-parse';
import type * as z from 'zod';
import { issueText } from '../schemas/issue-text';
import { customAttributesSchema, type NewMember, newMemberSchema } from '../schemas/member';
import { toMobileE164 } from './phone';

/**
 * Bulk member import: a file of members, CSV or JSON lines, read as a stream of validated rows.
 *
 * - CSV: a header row, then one member a row. Columns: `phone` (required), `name`, `gender`,
 *   `birthday`, `city`, `tags` (`;` between tags), `consent`, `referrerPhone` (who brought the member:
 *   recorded as a referral for a member the import creates), and `attr.<name>` for each custom
 *   attribute. Cells are text, so custom attributes from CSV are text too (JSON lines keep numbers
 *   and true/false). An empty cell leaves the field as it is: an import never clears a field.
 * - JSON lines: one object a line with the same fields, `tags` an array and `attributes` an object;
 *   consent as `marketingConsent: { "source": … }`.
 * - Consent: how the customer agreed to marketing texts (`paper form, Xuhui store, 2026-03-01`), the
 *   proof kept with the opt-in. A row without it records nothing, and a row with it never overrides
 *   a choice the phone already made (an opt-out by text stands).
 *
 * Rows are numbered for the merchant: CSV data rows from 1 (the header is not counted, nor are
 * blank lines), JSON lines by line number. A phone that appears again in the same file is
 * reported as an error at the later row, so which row counts never depends on write order.
 */

export type ImportFormat = 'csv' | 'jsonl';

/** A member as one import row gives it: the phone in E.164, and only the fields the row has. */
export type ImportedMember = NewMember;

/** `referrerPhone`: the member who brought this one (推荐有礼), as the row wrote it; not a profile field. */
export type ImportRow =
  | { row: number; member: ImportedMember; referrerPhone?: string }
  | { row: number; error: string };

export interface ImportContext {
  /** The merchant's country, for phones written without a country code. */
  defaultCountry: string;
  /** The merchant's date (YYYY-MM-DD): birthdays after it are refused. */
  today: string;
}

/** The file cannot be imported at all (an empty file, a bad header); nothing was read from it. */
export class ImportFileError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ImportFileError';
  }
}

/**
 * The longest row read. A quote that is never closed would otherwise make the rest of the file one
 * row held in memory; 64 KiB is far more than a member's fields take (50 attributes of 200 characters).
 */
export const maxRowBytes = 64 * 1024;

const profileColumns = [
  'phone',
  'name',
  'gender',
  'birthday',
  'city',
  'tags',
  'consent',
  'referrerPhone',
] as const;
type ProfileColumn = (typeof profileColumns)[number];
const attributePrefix = 'attr.';

/** Reads the file as it arrives and yields each data row, validated, in file order. */
export async function* readImportRows(
  source: AsyncIterable<Buffer | string>,
  format: ImportFormat,
  context: ImportContext,
): AsyncIterable<ImportRow> {
  const check = rowChecker(context, format === 'csv' ? csvPath : (path) => path);
  const records = format === 'csv' ? csvRecords(source) : jsonLines(source);
  for await (const record of records) {
    yield 'error' in record ? record : check(record.row, record.fields);
  }
}

type RawRow = { row: number; fields: Record<string, unknown> } | { row: number; error: string };

/** Validates one row's fields and normalises its phone; remembers phones to refuse repeats. */
function rowChecker(context: ImportContext, fieldName: (path: string) => string) {
  const schema = newMemberSchema(context.today);
  // First row of each phone: about 130 bytes each, so 1,000,000 rows hold about 130 MB.
  const firstRowOf = new Map<string, number>();
  return (row: number, { referrerPhone, ...fields }: Record<string, unknown>): ImportRow => {
    if (referrerPhone !== undefined && (typeof referrerPhone !== 'string' || referrerPhone.length > 30))
      return { row, error: issueText('referrerPhone', 'a mobile number, e.g. +8613800138000') };
    const parsed = schema.safeParse(fields);
    if (!parsed.success) return { row, error: describeIssues(parsed.error.issues, fieldName) };
    const phone = toMobileE164(parsed.data.phone, context.defaultCountry);
    if (!phone.ok) return { row, error: issueText(fieldName('phone'), phone.reason) };
    const first = firstRowOf.get(phone.phone);
    if (first !== undefined) return { row, error: `duplicate phone in this file, first at row ${first}` };
    firstRowOf.set(phone.phone, row);
    return {
      row,
      member: { ...parsed.data, phone: phone.phone },
      ...(referrerPhone ? { referrerPhone } : {}),
    };
  };
}

function describeIssues(issues: readonly z.core.$ZodIssue[], fieldName: (path: string) => string): string {
  return issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return issueText(path && fieldName(path), issue.message);
    })
    .join('; ');
}

/** Issues named by the CSV column the merchant wrote: `attributes.tier` is column `attr.tier`. */
function csvPath(path: string): string {
  if (path.startsWith('attributes.')) return `${attributePrefix}${path.slice('attributes.'.length)}`;
  if (path.startsWith('marketingConsent')) return 'consent';
  return path.replace(/^tags\.\d+$/, 'tags');
}

// ---- CSV ----

async function* csvRecords(source: AsyncIterable<Buffer | string>): AsyncIterable<RawRow> {
  // A CSV error is taken from on_skip rather than thrown: a thrown error would drop the good rows
  // parsed from the same chunk before it. After a broken quote the parser cannot tell where rows
  // start again, so reading stops at that row.
  let broken: CsvError | undefined;
  const parser = parse({
    bom: true,
    skip_empty_lines: true,
    // Checked per row below, to say which row and how many cells.
    relax_column_count: true,
    // A quote inside a cell that is not quoted (`5" screen`) is kept as text.
    relax_quotes: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: maxRowBytes,
    info: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      broken ??= error;
    },
  });
  // The pipeline's errors (the source's) reach the loop below through the parser.
  const records = pipeline(Readable.from(source, { objectMode: false }), parser, () => {});
  let header: ((cells: string[]) => Record<string, unknown>) | undefined;
  let columnCount = 0;
  let row = 0;
  for await (const { record: cells, info } of records as AsyncIterable<{ record: string[]; info: Info }>) {
    if (broken && info.records > Number(broken.records)) break;
    if (!header) {
      header = csvHeader(cells);
      columnCount = cells.length;
      continue;
    }
    row++;
    const extra = cells.slice(columnCount).some((cell) => cell.trim() !== '');
    if (cells.length < columnCount || extra) {
      yield { row, error: `the row has ${cells.length} cells; the header has ${columnCount} columns` };
    } else yield { row, fields: header(cells) };
  }
  if (broken && !header) throw new ImportFileError(`the header row cannot be read: ${csvProblem(broken)}`);
  if (broken) yield { row: row + 1, error: `${csvProblem(broken)}; the rows after it were not read` };
  if (!header) throw new ImportFileError(`the file is empty: a CSV import starts with a header row`);
}

function csvProblem(error: CsvError): string {
  const line = typeof error.lines === 'number' ? ` (line ${error.lines})` : '';
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      // Noticed only where the file ends: the line would point there, not at the row.
      return 'a quoted cell in this row is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return `the row is longer than ${maxRowBytes} bytes${line}`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `a quoted cell has text after its closing quote${line}`;
    default:
      return `the row is not valid CSV${line}: ${error.message}`;
  }
}

/**
 * Checks the header once and returns how to turn a row's cells into member fields. Unknown,
 * repeated or missing columns would fail every row the same way, so they fail the file instead.
 */
function csvHeader(cells: readonly string[]): (cells: string[]) => Record<string, unknown> {
  const names = cells.map((cell) => cell.trim());
  const columns: ({ field: ProfileColumn } | { attribute: string })[] = [];
  const unknown: string[] = [];
  const badAttributes: string[] = [];
  for (const name of names) {
    const field = profileColumns.find((column) => column.toLowerCase() === name.toLowerCase());
    if (field) columns.push({ field });
    else if (name.startsWith(attributePrefix)) {
      const attribute = name.slice(attributePrefix.length);
      if (!customAttributesSchema.keyType.safeParse(attribute).success) badAttributes.push(name);
      columns.push({ attribute });
    } else unknown.push(name === '' ? '(a column with no name)' : name);
  }
  const problems: string[] = [];
  if (unknown.length > 0) {
    problems.push(
      `unknown columns: ${unknown.join(', ')} (known: ${profileColumns.join(', ')}, and ${attributePrefix}<name> for custom attributes)`,
    );
  }
  if (badAttributes.length > 0) {
    problems.push(
      `attribute columns ${badAttributes.join(', ')}: names are a letter, then letters, digits or _ (40 at most)`,
    );
  }
  const keys = columns.map((column) =>
    'field' in column ? column.field : `${attributePrefix}${column.attribute}`,
  );
  const repeated = [...new Set(keys.filter((key, i) => keys.indexOf(key) !== i))];
  if (repeated.length > 0) problems.push(`columns named more than once: ${repeated.join(', ')}`);
  if (!keys.includes('phone')) problems.push('no phone column');
  if (problems.length > 0) throw new ImportFileError(`the header row: ${problems.join('; ')}`);

  return (row) => {
    const fields: Record<string, unknown> = {};
    const attributes: Record<string, string> = {};
    columns.forEach((column, i) => {
      const cell = row[i]?.trim() ?? '';
      if (cell === '') return;
      if ('attribute' in column) attributes[column.attribute] = cell;
      else if (column.field === 'tags') fields.tags = cell.split(';').filter((tag) => tag.trim() !== '');
      else if (column.field === 'consent') fields.marketingConsent = { source: cell };
      else fields[column.field] = cell;
    });
    if (Object.keys(attributes).length > 0) fields.attributes = attributes;
    return fields;
  };
}

// ---- JSON lines ----

async function* jsonLines(source: AsyncIterable<Buffer | string>): AsyncIterable<RawRow> {
  for await (const line of lines(source)) {
    if (line.tooLong) {
      yield { row: line.number, error: `the line is longer than ${maxRowBytes} bytes` };
      continue;
    }
    if (line.text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      yield { row: line.number, error: `the line is not valid JSON: ${(error as Error).message}` };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { row: line.number, error: 'the line must be a JSON object, e.g. {"phone":"+8613800138000"}' };
    } else yield { row: line.number, fields: value as Record<string, unknown> };
  }
}

interface Line {
  number: number;
  text: string;
  /** The line passed maxRowBytes; its text was dropped as it came. */
  tooLong: boolean;
}

/**
 * The source's lines, numbered from 1, without their line ends or a leading byte order mark. A
 * multi-byte character split between chunks is decoded whole; an over-long line is not kept.
 */
async function* lines(source: AsyncIterable<Buffer | string>): AsyncIterable<Line> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let tooLong = false;
  let number = 0;
  const finish = (text: string): Line => {
    number++;
    const line = { number, text: tooLong ? '' : text.replace(/\r$/, ''), tooLong };
    tooLong = false;
    return line;
  };
  for await (const chunk of source) {
    let text = partial + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    if (number === 0 && text.startsWith('\uFEFF')) text = text.slice(1);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      yield finish(text.slice(start, end));
      start = end + 1;
    }
    partial = text.slice(start);
    if (Buffer.byteLength(partial) > maxRowBytes) {
      tooLong = true;
      partial = '';
    }
  }
  partial += decoder.end();
  if (partial !== '' || tooLong) yield finish(partial);
}
