import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { type Env, s3Client } from '../../shared/env';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { createdObjects } from '../../shared/schemas/s3-notification';
import { benefitsStore } from '../../shared/store/benefits';
import { directoryStore } from '../../shared/store/directory';
import { exchangesStore } from '../../shared/store/exchanges';
import { importFiles } from '../../shared/store/import-files';
import { importsStore } from '../../shared/store/imports';
import { ledgerStore } from '../../shared/store/ledger';
import { importMembers } from '../../shared/store/member-import';
import { membersStore } from '../../shared/store/members';
import { referralsStore } from '../../shared/store/referrals';
import type { ReferralDeps } from '../../shared/use-cases/member-rewards';
import { importUploadedFile, type MemberImportDeps } from './import-file';

export function createHandler(deps: MemberImportDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const importRecord = async (record: SQSRecord) => {
    for (const { key } of createdObjects(record.body)) await importUploadedFile(key, record.messageId, deps);
  };
  const options = { throwOnFullBatchFailure: false };
  return middy((event: SQSEvent) => processPartialResponse(event, importRecord, processor, options))
    .use(injectLambdaContext(logger))
    .use(publishMetrics());
}

export function depsFromEnv(env: Env): MemberImportDeps {
  const members = env.table('members');
  return {
    directory: directoryStore(env.dynamo(), env.table('directory')),
    imports: importsStore(env.dynamo(), env.table('imports')),
    files: importFiles(s3Client(env), env.bucket('imports')),
    importRows: (merchantId, rows, options) =>
      importMembers(env.dynamo(), { members }, merchantId, rows, options),
    referralDeps: referralDepsFromEnv(env),
    clock: () => new Date(),
  };
}

/** What recording the rows' referrals writes: the referrals, and rewards given at join. */
export function referralDepsFromEnv(env: Env): ReferralDeps {
  const members = env.table('members');
  return {
    members: membersStore(env.dynamo(), members, env.table('outbox')),
    referrals: referralsStore(env.dynamo(), members),
    ledger: ledgerStore(env.dynamo(), env.table('ledger'), members, env.table('outbox')),
    benefits: benefitsStore(env.dynamo(), env.table('benefits'), { outbox: env.table('outbox') }),
    exchanges: exchangesStore(env.dynamo(), {
      benefits: env.table('benefits'),
      ledger: env.table('ledger'),
      members,
      outbox: env.table('outbox'),
    }),
  };
}
