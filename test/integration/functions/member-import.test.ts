import type { SQSEvent } from 'aws-lambda';
import { ulid } from 'ulidx';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler, referralDepsFromEnv } from '../../../functions/member-import/handler';
import { type MemberImportDeps, progressEvery } from '../../../functions/member-import/import-file';
import { lambdaContext } from '../../../local/local-lambda';
import { buckets } from '../../../shared/resources';
import type { Merchant } from '../../../shared/schemas/merchant';
import { notificationKey } from '../../../shared/schemas/s3-notification';
import { directoryStore } from '../../../shared/store/directory';
import { importFileKey } from '../../../shared/store/import-files';
import { importsStore } from '../../../shared/store/imports';
import { importMembers } from '../../../shared/store/member-import';
import { membersStore } from '../../../shared/store/members';
import { newMerchant, testEnv } from '../../support';

const env = testEnv();
const imports = importsStore(env.dynamo(), env.table('imports'));
const members = membersStore(env.dynamo(), env.table('members'));
let merchant: Merchant;

beforeAll(async () => {
  merchant = (await newMerchant(env)).merchant;
});

/**
 * The function with the run's DynamoDB Local and the file store faked: files are strings, read in
 * small chunks as S3 streams them. `runs` counts the imports that got as far as reading rows.
 */
function setup(options: { clock?: () => Date; openFails?: Error } = {}) {
  const files = new Map<string, string>();
  const progress: number[] = [];
  let runs = 0;
  const deps: MemberImportDeps = {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    imports: {
      ...imports,
      progress: async (claim, rowsRead) => {
        progress.push(rowsRead);
        await imports.progress(claim, rowsRead);
      },
    },
    files: {
      uploadUrl: () => Promise.reject(new Error('not used by the function')),
      async open(key) {
        if (options.openFails) throw options.openFails;
        const text = files.get(key);
        if (text === undefined) throw new Error(`no file ${key}`);
        return (async function* () {
          const bytes = Buffer.from(text);
          for (let at = 0; at < bytes.length; at += 7) yield bytes.subarray(at, at + 7);
        })();
      },
    },
    importRows: (merchantId, rows, importOptions) => {
      runs++;
      return importMembers(env.dynamo(), { members: env.table('members') }, merchantId, rows, importOptions);
    },
    referralDeps: referralDepsFromEnv(env),
    clock: options.clock ?? (() => new Date()),
  };
  const handler = createHandler(deps);
  return {
    files,
    progress,
    runs: () => runs,
    /** The SQS delivery of S3's notification for `key`, as message `messageId`. */
    deliver: (key: string, messageId = `message-${ulid()}`) =>
      handler(sqsEvent(messageId, key), lambdaContext('member-import', 900)) as Promise<{
        batchItemFailures: { itemIdentifier: string }[];
      }>,
  };
}

function sqsEvent(messageId: string, key: string): SQSEvent {
  const body = {
    Records: [
      {
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        eventTime: new Date().toISOString(),
        s3: { bucket: { name: buckets.imports.name }, object: { key: notificationKey(key), size: 1 } },
      },
    ],
  };
  return {
    Records: [
      {
        messageId,
        receiptHandle: `r-${messageId}`,
        body: JSON.stringify(body),
        attributes: {} as SQSEvent['Records'][number]['attributes'],
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:local:000000000000:member-imports',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

/** An import waiting for its file, and the file uploaded under its key. */
async function uploaded(files: Map<string, string>, text: string, format: 'csv' | 'jsonl' = 'csv') {
  const importId = ulid();
  const now = new Date();
  await imports.create({
    merchantId: merchant.merchantId,
    importId,
    format,
    createdAt: now.toISOString(),
    uploadExpiresAt: new Date(now.getTime() + 900_000).toISOString(),
  });
  const key = importFileKey(merchant.merchantId, importId, format);
  files.set(key, text);
  return { importId, key, claim: { merchantId: merchant.merchantId, importId } };
}

const phone = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

describe('member-import', () => {
  it('imports the uploaded file and records the counts and the refused rows', async () => {
    const { files, deliver } = setup();
    const good = phone();
    const { importId, key } = await uploaded(files, `phone,name\n${good},张三\nnot-a-phone,李四\n`);
    expect(await deliver(key)).toEqual({ batchItemFailures: [] });
    const record = await imports.get(merchant.merchantId, importId);
    expect(record).toMatchObject({
      status: 'done',
      rowsRead: 2,
      counts: { rows: 2, created: 1, updated: 0, unchanged: 0, failed: 1 },
      errors: [{ row: 2, reason: 'phone may contain only digits, spaces, dashes and a leading +' }],
    });
    expect(record?.finishedAt).toBeDefined();
    const { member } = await members.contact(merchant.merchantId, `+86${good}`);
    expect(member).toMatchObject({ name: '张三', joinChannel: 'import', joinRef: importId, tier: 'silver' });
  });

  it('records the referrals its rows name for the members it creates, and lists a referrer it cannot record', async () => {
    const { files, deliver } = setup();
    const referrer = phone();
    const { key: first } = await uploaded(files, `phone,name\n${referrer},老会员\n`);
    await deliver(first);
    const [brought, stranger] = [phone(), phone()];
    const { importId, key } = await uploaded(
      files,
      `phone,name,referrerPhone\n${brought},新会员,${referrer}\n${phone()},无推荐,${stranger}\n`,
    );
    await deliver(key);
    const record = await imports.get(merchant.merchantId, importId);
    expect(record).toMatchObject({
      counts: { rows: 2, created: 2, failed: 0 },
      errors: [
        { row: 2, reason: 'referrerPhone: not a current member; the member was imported without a referral' },
      ],
    });
    const { member } = await members.contact(merchant.merchantId, `+86${brought}`);
    const { member: old } = await members.contact(merchant.merchantId, `+86${referrer}`);
    const referral = await referralDepsFromEnv(env).referrals.get(
      merchant.merchantId,
      member?.memberId ?? '',
    );
    expect(referral).toMatchObject({ referrerMemberId: old?.memberId, channel: 'import', status: 'pending' });
  });

  it(`writes how many rows it has read every ${progressEvery} rows`, async () => {
    const { files, deliver, progress } = setup();
    // Refused rows are read as fast as the file streams, so the count moves without writing members.
    const rows = Array.from({ length: 2 * progressEvery + 1 }, () => 'not-a-phone').join('\n');
    const { importId, key } = await uploaded(files, `phone\n${rows}\n`);
    await deliver(key);
    expect(progress).toEqual([progressEvery, 2 * progressEvery]);
    const record = await imports.get(merchant.merchantId, importId);
    expect(record?.counts?.failed).toBe(2 * progressEvery + 1);
    expect(record?.errors).toHaveLength(1000);
  });

  it('does nothing for a second notification of a file already imported', async () => {
    const { files, deliver, runs } = setup();
    const { importId, key } = await uploaded(files, `phone\n${phone()}\n`);
    await deliver(key);
    const done = await imports.get(merchant.merchantId, importId);
    expect(await deliver(key)).toEqual({ batchItemFailures: [] });
    expect(runs()).toBe(1);
    expect(await imports.get(merchant.merchantId, importId)).toEqual(done);
  });

  it('leaves a running import to its run, unless the same message comes back or the lease has passed', async () => {
    let now = new Date();
    const { files, deliver, runs } = setup({ clock: () => now });
    const { importId, key, claim } = await uploaded(files, `phone\n${phone()}\n`);
    // Another invocation holds the import, as when S3 delivered the notification twice at once.
    expect(await imports.claim({ ...claim, runId: 'first' }, now, 900)).toBeDefined();
    await deliver(key, 'second');
    expect(runs()).toBe(0);
    expect((await imports.get(merchant.merchantId, importId))?.status).toBe('running');

    // The first message again: its run ended without finishing (a timeout), so this one takes over.
    await deliver(key, 'first');
    expect(runs()).toBe(1);
    expect((await imports.get(merchant.merchantId, importId))?.status).toBe('done');

    const { key: stuckKey, claim: stuck } = await uploaded(files, `phone\n${phone()}\n`);
    await imports.claim({ ...stuck, runId: 'crashed' }, now, 900);
    now = new Date(now.getTime() + 901_000);
    await deliver(stuckKey, 'later');
    expect((await imports.get(merchant.merchantId, stuck.importId))?.status).toBe('done');
  });

  it('fails an import whose file cannot be read, with the reason, without asking for a retry', async () => {
    const { files, deliver } = setup();
    const { importId, key } = await uploaded(files, '', 'csv');
    expect(await deliver(key)).toEqual({ batchItemFailures: [] });
    expect(await imports.get(merchant.merchantId, importId)).toMatchObject({
      status: 'failed',
      reason: 'the file is empty: a CSV import starts with a header row',
    });
  });

  it('gives the message back to the queue when anything else goes wrong', async () => {
    const { files, deliver } = setup({ openFails: new Error('S3 is unreachable') });
    const { importId, key } = await uploaded(files, `phone\n${phone()}\n`);
    expect(await deliver(key, 'flaky')).toEqual({ batchItemFailures: [{ itemIdentifier: 'flaky' }] });
    expect((await imports.get(merchant.merchantId, importId))?.status).toBe('running');
  });

  it('ignores objects that are no import of a known merchant', async () => {
    const { deliver, runs } = setup();
    expect(await deliver(`uploads/${merchant.merchantId}/notes.txt`)).toEqual({ batchItemFailures: [] });
    expect(await deliver(importFileKey('no-such-shop', ulid(), 'csv'))).toEqual({ batchItemFailures: [] });
    expect(await deliver(importFileKey(merchant.merchantId, ulid(), 'csv'))).toEqual({
      batchItemFailures: [],
    });
    expect(runs()).toBe(0);
  });
});
