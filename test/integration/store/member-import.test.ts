import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { generatedMembersCsv } from '../../../bench/import';
import { type ImportFormat, readImportRows } from '../../../shared/domain/member-import';
import type { MarketingConsent } from '../../../shared/schemas/member';
import { type ImportOptions, importMembers, maxListedErrors } from '../../../shared/store/member-import';
import { memberKey, membersStore } from '../../../shared/store/members';
import { testEnv } from '../../support';

const env = testEnv();
const db = env.dynamo();
const tables = { members: env.table('members') };
const members = membersStore(db, tables.members);
const context = { defaultCountry: 'CN', today: '2026-11-23' };
const now = new Date('2026-12-01T08:00:00.000Z');

const shop = () => `shop-${randomUUID().slice(0, 8)}`;

async function* chunks(text: string) {
  yield text;
}

/** Imports a file given as text, as the import function reads it. */
function importFile(
  merchantId: string,
  file: string,
  format: ImportFormat = 'csv',
  options: Partial<ImportOptions> = {},
) {
  return importMembers(db, tables, merchantId, readImportRows(chunks(file), format, context), {
    now,
    importId: 'import-1',
    ...options,
  });
}

async function rawItem(merchantId: string, phone: string, sk = 'MEMBER') {
  const { Item } = await db.send(
    new GetCommand({ TableName: tables.members, Key: { ...memberKey(merchantId, phone), sk } }),
  );
  return Item;
}

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

describe('importMembers: consent', () => {
  it('opts in the rows that carry consent, with the import as the source, unless the phone already chose', async () => {
    const merchantId = shop();
    const optedOut: MarketingConsent = {
      status: 'unsubscribed',
      changedAt: '2026-11-30T00:00:00.000Z',
      channel: 'sms-keyword',
      source: 'TD',
      ref: 'msg-1',
    };
    await members.recordMarketingConsent(merchantId, '+8613800138002', optedOut);
    const file = csv(
      'phone,name,consent',
      '13800138000,张三,"paper form, Xuhui store"',
      '13800138001,李四,',
      '13800138002,王五,signed at the counter',
    );
    expect(await importFile(merchantId, file)).toMatchObject({ rows: 3, created: 3, failed: 0 });
    expect(await members.consentExport(merchantId, '+8613800138000')).toMatchObject({
      marketing: {
        status: 'subscribed',
        channel: 'import',
        source: 'paper form, Xuhui store',
        ref: 'import-1',
      },
      consent: [{ status: 'subscribed', channel: 'import', changedAt: now.toISOString() }],
    });
    expect((await members.contact(merchantId, '+8613800138001')).marketing).toBeUndefined();
    expect((await members.consentExport(merchantId, '+8613800138002')).consent).toEqual([optedOut]);

    await importFile(merchantId, file, 'csv', { importId: 'import-2', now: new Date() });
    expect((await members.consentExport(merchantId, '+8613800138000')).consent).toHaveLength(1);
  });
});

describe('importMembers', () => {
  const file = csv(
    'phone,name,gender,birthday,city,tags,attr.level',
    '13800138000,张三,female,1990-05-01,上海,vip;新客,gold',
    '13800138001,李四,,,,,',
    '13800138002,,,,,,',
  );

  it('creates new members as the API does: listed, found by id, joined by import with the import id', async () => {
    const merchantId = shop();
    expect(await importFile(merchantId, file, 'csv', { entryTier: 'silver' })).toEqual({
      rows: 3,
      created: 3,
      updated: 0,
      unchanged: 0,
      failed: 0,
      errors: [],
    });
    const { member } = await members.contact(merchantId, '+8613800138000');
    expect(member).toMatchObject({
      merchantId,
      phone: '+8613800138000',
      name: '张三',
      gender: 'female',
      birthday: '1990-05-01',
      city: '上海',
      tags: ['vip', '新客'],
      attributes: { level: 'gold' },
      joinedAt: now.toISOString(),
      joinChannel: 'import',
      joinRef: 'import-1',
      points: 0,
      tier: 'silver',
      earnedTier: 'silver',
    });
    const listed = await members.list(merchantId, { limit: 10 });
    expect(listed.members.map((m) => m.phone).sort()).toEqual([
      '+8613800138000',
      '+8613800138001',
      '+8613800138002',
    ]);
    expect((await members.byMemberId(merchantId, member?.memberId ?? ''))?.phone).toBe('+8613800138000');
  });

  it('changes nothing when the same import runs again', async () => {
    const merchantId = shop();
    await importFile(merchantId, file);
    const before = await rawItem(merchantId, '+8613800138000');
    const again = await importFile(merchantId, file, 'csv', { importId: 'import-2', now: new Date() });
    expect(again).toMatchObject({ rows: 3, created: 0, updated: 0, unchanged: 3, failed: 0 });
    expect(await rawItem(merchantId, '+8613800138000')).toEqual(before);
  });

  it('updates only the members whose rows changed, only the fields given, never balances or consent', async () => {
    const merchantId = shop();
    await importFile(merchantId, file);
    // What the ledger and the consent keyword own.
    await db.send(
      new UpdateCommand({
        TableName: tables.members,
        Key: memberKey(merchantId, '+8613800138000'),
        UpdateExpression: 'SET points = :p, storedValue = :s, pointsConsumed = :c, spendByYear = :y',
        ExpressionAttributeValues: { ':p': 120, ':s': 5000, ':c': 30, ':y': { '2026': 8800 } },
      }),
    );
    const consent: MarketingConsent = {
      status: 'unsubscribed',
      changedAt: '2026-11-30T00:00:00.000Z',
      channel: 'sms-keyword',
      source: 'TD',
      ref: 'msg-1',
    };
    await members.recordMarketingConsent(merchantId, '+8613800138000', consent);
    const consentBefore = await rawItem(merchantId, '+8613800138000', 'CONSENT');
    const untouched = await rawItem(merchantId, '+8613800138001');

    const changed = csv(
      'phone,name,city,tags,attr.note',
      '13800138000,张三丰,,新客;vip,tea',
      '13800138001,李四,,,',
      '13800138002,王五,,,',
    );
    expect(await importFile(merchantId, changed, 'csv', { importId: 'import-2' })).toMatchObject({
      rows: 3,
      created: 0,
      updated: 2,
      unchanged: 1,
      failed: 0,
    });
    const { member } = await members.contact(merchantId, '+8613800138000');
    expect(member).toMatchObject({
      name: '张三丰',
      // Not in the row: left as it was.
      city: '上海',
      birthday: '1990-05-01',
      tags: ['vip', '新客'],
      attributes: { level: 'gold', note: 'tea' },
      points: 120,
      storedValue: 5000,
      pointsConsumed: 30,
      spendByYear: { '2026': 8800 },
      joinRef: 'import-1',
      updatedAt: now.toISOString(),
    });
    expect((await members.contact(merchantId, '+8613800138002')).member?.name).toBe('王五');
    expect(await rawItem(merchantId, '+8613800138000', 'CONSENT')).toEqual(consentBefore);
    // Its row gave what it already had: not written, not even the hash (the hash is the same row's).
    expect(await rawItem(merchantId, '+8613800138001')).toMatchObject({
      ...untouched,
      importHash: expect.any(String),
    });
  });

  it("keeps each tag's list right as rows add and change tags, also past 100 writes to a batch", async () => {
    const merchantId = shop();
    const tags = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const phones = Array.from({ length: 5 }, (_, i) => `1380013810${i}`);
    const tagged = (wanted: string[]) =>
      csv('phone,tags', ...phones.map((phone) => `${phone},${wanted.join(';')}`));
    expect(await importFile(merchantId, tagged(tags))).toMatchObject({ created: 5, failed: 0 });
    const listed = async (tag: string) => (await members.list(merchantId, { tag, limit: 10 })).members.length;
    expect([await listed('t0'), await listed('t29')]).toEqual([5, 5]);
    expect(
      await importFile(merchantId, tagged(['t0', 'new']), 'csv', { importId: 'import-2' }),
    ).toMatchObject({
      updated: 5,
      failed: 0,
    });
    expect([await listed('t0'), await listed('t29'), await listed('new')]).toEqual([5, 0, 5]);
  });

  it('counts a row that matches a member made elsewhere as unchanged, and does not undo later edits on a re-run', async () => {
    const merchantId = shop();
    await members.create({
      merchantId,
      memberId: 'mem-1',
      phone: '+8613800138000',
      name: '张三',
      joinedAt: '2026-11-01T00:00:00.000Z',
      joinChannel: 'sms',
      joinRef: 'msg-1',
      points: 0,
    });
    const row = csv('phone,name', '13800138000,张三');
    expect(await importFile(merchantId, row)).toMatchObject({ updated: 0, unchanged: 1 });
    expect((await members.contact(merchantId, '+8613800138000')).member).toMatchObject({
      joinChannel: 'sms',
      memberId: 'mem-1',
    });

    await members.update(merchantId, '+8613800138000', { name: '张三丰' }, now);
    expect(await importFile(merchantId, row)).toMatchObject({ updated: 0, unchanged: 1 });
    expect((await members.contact(merchantId, '+8613800138000')).member?.name).toBe('张三丰');
  });

  it('imports the good rows of a file with bad ones and reports each bad row', async () => {
    const merchantId = shop();
    const report = await importFile(
      merchantId,
      [
        '{"phone":"13800138000","name":"张三"}',
        '{"phone":"12345"}',
        '{"phone":"13800138001","birthday":"2099-01-01"}',
        'not json',
        '{"phone":"13800138002","tags":["vip"]}',
        '{"phone":"13800138000","name":"again"}',
      ].join('\n'),
      'jsonl',
    );
    expect(report).toEqual({
      rows: 6,
      created: 2,
      updated: 0,
      unchanged: 0,
      failed: 4,
      errors: [
        { row: 2, reason: 'phone: 12345 is not a valid phone number' },
        { row: 3, reason: 'birthday: a past date after 1900' },
        { row: 4, reason: expect.stringMatching(/^the line is not valid JSON/) },
        { row: 6, reason: 'duplicate phone in this file, first at row 1' },
      ],
    });
    expect((await members.list(merchantId)).members.map((m) => m.phone).sort()).toEqual([
      '+8613800138000',
      '+8613800138002',
    ]);
  });

  it('refuses to bring back a deleted member', async () => {
    const merchantId = shop();
    await importFile(merchantId, file);
    await members.softDelete(merchantId, '+8613800138001', now);
    const deleted = await rawItem(merchantId, '+8613800138001');
    const report = await importFile(merchantId, csv('phone,name', '13800138001,李四回来了'));
    expect(report).toMatchObject({ rows: 1, created: 0, updated: 0, unchanged: 0, failed: 1 });
    expect(report.errors).toEqual([
      {
        row: 1,
        reason: `the member with this phone was deleted at ${now.toISOString()}; an import does not restore a deleted member`,
      },
    ]);
    expect(await rawItem(merchantId, '+8613800138001')).toEqual(deleted);
  });

  it('refuses a row that would take a member past the custom attribute cap', async () => {
    const merchantId = shop();
    const names = Array.from({ length: 30 }, (_, i) => `a${i}`);
    const attributes = (from: number) => Object.fromEntries(names.map((name) => [`${name}_${from}`, 1]));
    await importFile(
      merchantId,
      JSON.stringify({ phone: '13800138000', attributes: attributes(1) }),
      'jsonl',
    );
    const report = await importFile(
      merchantId,
      JSON.stringify({ phone: '13800138000', attributes: attributes(2) }),
      'jsonl',
    );
    expect(report.errors).toEqual([
      { row: 1, reason: 'the member would have 60 custom attributes; at most 50' },
    ]);
  });

  it('writes row by row when members change between the read and the write, keeping their balances', async () => {
    const merchantId = shop();
    await importFile(merchantId, file);
    let interfered = false;
    // Between this batch's read and its transaction: one phone joins by text and earns, one member is deleted.
    const racing = {
      send: async (command: unknown) => {
        if (command instanceof TransactWriteCommand && !interfered) {
          interfered = true;
          await members.create({
            merchantId,
            memberId: 'mem-sms',
            phone: '+8613800138009',
            joinedAt: now.toISOString(),
            joinChannel: 'sms',
            joinRef: 'msg-9',
            points: 50,
          });
          await members.softDelete(merchantId, '+8613800138001', now);
        }
        return db.send(command as TransactWriteCommand);
      },
    } as unknown as DynamoDBDocumentClient;
    const rows = readImportRows(
      chunks(
        csv('phone,name', '13800138000,张三丰', '13800138001,李小四', '13800138009,赵六', '13800138010,钱七'),
      ),
      'csv',
      context,
    );
    const report = await importMembers(racing, tables, merchantId, rows, { now, importId: 'import-2' });
    expect(interfered).toBe(true);
    expect(report).toMatchObject({ rows: 4, created: 1, updated: 2, unchanged: 0, failed: 1 });
    expect(report.errors).toEqual([
      { row: 2, reason: expect.stringMatching(/does not restore a deleted member$/) },
    ]);
    expect((await members.contact(merchantId, '+8613800138009')).member).toMatchObject({
      name: '赵六',
      points: 50,
      joinChannel: 'sms',
      memberId: 'mem-sms',
    });
    expect((await members.contact(merchantId, '+8613800138000')).member?.name).toBe('张三丰');
    expect((await members.contact(merchantId, '+8613800138010')).member?.joinChannel).toBe('import');
  });

  it(`lists the first ${maxListedErrors} bad rows and counts the rest`, async () => {
    const bad = Array.from({ length: maxListedErrors + 5 }, () => '12345').join('\n');
    const report = await importFile(shop(), csv('phone', bad));
    expect(report).toMatchObject({ rows: maxListedErrors + 5, failed: maxListedErrors + 5 });
    expect(report.errors).toHaveLength(maxListedErrors);
    expect(report.errors.at(-1)?.row).toBe(maxListedErrors);
  });

  it('stops and fails when DynamoDB refuses a write, after the writes in flight end', async () => {
    const rows = readImportRows(chunks(file), 'csv', context);
    await expect(
      importMembers(db, { members: 'NoSuchTable' }, shop(), rows, { now, importId: 'import-1' }),
    ).rejects.toThrow(/non-existent table|not found/i);
  });
});

describe('importMembers at volume', () => {
  // Each new member with tags is one transaction with its tag index items, which DynamoDB Local makes
  // slowly and the rest of the suite shares: `npm run bench` runs 100,000 rows.
  const count = 5_000;

  it(`imports ${count.toLocaleString('en-US')} generated rows, then re-runs them with no changes`, async () => {
    const merchantId = shop();
    const run = async (label: string) => {
      const started = performance.now();
      const rows = readImportRows(generatedMembersCsv(count), 'csv', context);
      const report = await importMembers(db, tables, merchantId, rows, { now, importId: label });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${label}: ${count} rows in ${seconds.toFixed(1)} s, ${Math.round(count / seconds)} rows/s`,
      );
      return report;
    };
    expect(await run('first run')).toEqual({
      rows: count,
      created: count,
      updated: 0,
      unchanged: 0,
      failed: 0,
      errors: [],
    });
    expect(await run('re-run')).toMatchObject({
      rows: count,
      created: 0,
      updated: 0,
      unchanged: count,
      failed: 0,
    });
  }, 120_000);
});
