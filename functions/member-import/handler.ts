import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { type Env, s3Client } from '../../shared/env';
import { logger } from '../../shared/log';
import { publishMetrics } from '../../shared/metrics';
import { createdObjects } from '../../shared/schemas/s3-notification';
import { directoryStore } from '../../shared/store/directory';
import { importFiles } from '../../shared/store/import-files';
import { importsStore } from '../../shared/store/imports';
import { importMembers } from '../../shared/store/member-import';
import { rewardStoresFromEnv } from '../../shared/use-cases/reward-stores';
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
    referralDeps: rewardStoresFromEnv(env),
    clock: () => new Date(),
  };
}
