import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Body, type Local, startLocal } from './support';

/**
 * Bulk import as a merchant does it through the local runtime: ask for an import, PUT the file to
 * the URL given (fauxqs's S3), and follow the import while S3's notification (forwarded by the
 * runtime) reaches the member-import function through the imports queue.
 */
let local: Local;

beforeAll(async () => {
  local = await startLocal();
});
afterAll(() => local?.stop());

const csv = [
  'phone,name,city,tags,attr.level',
  '13800000001,张三,上海,vip;new,3',
  '13800000002,李四,北京,,',
  'not-a-phone,王五,,,',
  '+86 138 0000 0001,张三,,,',
  '+8613800000003,赵六,广州,vip,1',
  '13800000004,钱七,,,,surplus',
].join('\n');

async function startImport(key: string, body: unknown = { format: 'csv' }) {
  return local.call('POST', '/v1/imports', key, body);
}

/** Creates an import, uploads the file to its URL and waits until the import has finished. */
async function importFile(key: string, file: string, format = 'csv'): Promise<Body> {
  const created = await startImport(key, { format });
  expect(created.status).toBe(201);
  const { import: started, upload } = created.body;
  expect(started).toMatchObject({ format, status: 'awaiting-upload' });
  expect(started).not.toHaveProperty('merchantId');
  const { importId } = started;
  expect(new URL(upload.url).hostname).toBe('127.0.0.1');
  const put = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: file });
  expect(put.status).toBe(200);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { status, body } = await local.call('GET', `/v1/imports/${importId}`, key);
    expect(status).toBe(200);
    if (body.import.status === 'done' || body.import.status === 'failed') return body.import;
    if (Date.now() > deadline) throw new Error(`import still ${body.import.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('member import', () => {
  it('imports a CSV upload: members created, bad rows reported by number, a second run changes nothing', async () => {
    const { key } = await local.newShop();
    const first = await importFile(key, csv);
    expect(first).toMatchObject({
      status: 'done',
      format: 'csv',
      counts: { rows: 6, created: 3, updated: 0, unchanged: 0, failed: 3 },
    });
    expect(first.errors.map((error: Body) => error.row)).toEqual([3, 4, 6]);
    expect(first.errors[0].reason).toBe('phone may contain only digits, spaces, dashes and a leading +');
    expect(first.errors[1].reason).toBe('duplicate phone in this file, first at row 1');
    expect(first.errors[2].reason).toMatch(/6 cells; the header has 5 columns/);

    const member = await local.call('GET', '/v1/members/13800000001', key);
    expect(member.body.member).toMatchObject({
      phone: '+8613800000001',
      name: '张三',
      city: '上海',
      tags: ['vip', 'new'],
      attributes: { level: '3' },
      joinChannel: 'import',
    });

    const again = await importFile(key, csv);
    expect(again.importId).not.toBe(first.importId);
    expect(again.counts).toEqual({ rows: 6, created: 0, updated: 0, unchanged: 3, failed: 3 });
    const { body: listed } = await local.call('GET', '/v1/members', key);
    expect(listed.members).toHaveLength(3);

    const { body: imports } = await local.call('GET', '/v1/imports', key);
    expect(imports.imports.map((i: Body) => i.importId)).toEqual([again.importId, first.importId]);
    expect(imports.imports[0]).not.toHaveProperty('errors');
  });

  it('updates an existing member from JSON lines instead of adding another', async () => {
    const { key } = await local.newShop();
    await local.call('POST', '/v1/members', key, { phone: '13900000001', name: '旧名', tags: ['old'] });
    const file = '{"phone":"13900000001","name":"新名","tags":["vip"]}\n{"phone":"13900000002"}\n';
    const done = await importFile(key, file, 'jsonl');
    expect(done.counts).toEqual({ rows: 2, created: 1, updated: 1, unchanged: 0, failed: 0 });
    const { body } = await local.call('GET', '/v1/members/13900000001', key);
    expect(body.member).toMatchObject({ name: '新名', tags: ['vip'], joinChannel: 'merchant-api' });
  });

  it('fails an import whose file cannot be read, with the reason, and changes no member', async () => {
    const { key } = await local.newShop();
    const failed = await importFile(key, 'mobile,name\n13800000001,张三\n');
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/unknown columns: mobile.*no phone column/);
    expect((await local.call('GET', '/v1/members', key)).body.members).toEqual([]);
  });

  it("answers 404 for another merchant's import and for an unknown id", async () => {
    const owner = await local.newShop();
    const other = await local.newShop();
    const { body } = await startImport(owner.key);
    const { importId } = body.import;
    const theirs = await local.call('GET', `/v1/imports/${importId}`, other.key);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error.code).toBe('import_not_found');
    expect((await local.call('GET', '/v1/imports/not-an-import', owner.key)).status).toBe(404);
    expect((await local.call('GET', '/v1/imports', other.key)).body.imports).toEqual([]);
    const mine = await local.call('GET', `/v1/imports/${importId}`, owner.key);
    expect(mine.body.import).toEqual(body.import);
    expect(mine.body.import).not.toHaveProperty('merchantId');
  });

  it('refuses a format other than csv or jsonl with 400 and the field', async () => {
    const { key } = await local.newShop();
    const { status, body } = await startImport(key, { format: 'xlsx' });
    expect(status).toBe(400);
    expect(body.error.issues[0].path).toBe('format');
  });
});
