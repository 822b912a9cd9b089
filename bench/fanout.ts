import { performance } from 'node:perf_hooks';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fanOut, fanoutPageSize } from '../functions/campaign-fanout/fanout';
import { startDynamoDBLocal } from '../local/dynamodb-local';
import { createQueues, startSqsServer } from '../local/fauxqs-queues';
import { createTables } from '../local/tables';
import { newApiKey } from '../shared/domain/api-keys';
import { Env, sqsClient } from '../shared/env';
import { sqsOutboundQueue } from '../shared/queue/sqs-outbound-queue';
import { tables } from '../shared/resources';
import { audienceReader } from '../shared/store/audience-members';
import { audiencesStore } from '../shared/store/audiences';
import { campaignsStore } from '../shared/store/campaigns';
import { directoryStore } from '../shared/store/directory';
import { consentReader, newMemberItem } from '../shared/store/members';
import { surveysStore } from '../shared/store/surveys';
import { templatesStore } from '../shared/store/templates';
import { type Benchmark, benchMerchant, table } from './benchmark';

const memberCount = 100_000;
const holdoutPercent = 10;
/** BatchWrite streams filling the table: the setup is not what is measured. */
const writers = 4;

/** 100,000 members, written 25 to a request; join times a minute apart, as an import over time leaves them. */
async function writeMembers(db: DynamoDBDocumentClient, merchantId: string): Promise<void> {
  const batches = Math.ceil(memberCount / 25);
  let next = 0;
  const writer = async () => {
    for (let batch = next++; batch < batches; batch = next++) {
      const items = Array.from({ length: Math.min(25, memberCount - batch * 25) }, (_, n) => {
        const i = batch * 25 + n;
        return newMemberItem({
          merchantId,
          memberId: `mem-${String(i).padStart(6, '0')}`,
          phone: `+86139${String(i).padStart(8, '0')}`,
          name: `会员${i}`,
          joinedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
          joinChannel: 'import',
          joinRef: 'bench',
          points: i % 5000,
        }).item;
      });
      await db.send(
        new BatchWriteCommand({
          RequestItems: { [tables.members.name]: items.map((Item) => ({ PutRequest: { Item } })) },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
}

/**
 * One campaign run to 100,000 members on DynamoDB Local, queued on a local SQS server (both in this
 * machine, the SQS server in this process): the fan-out as deployed (its page size, holdout split,
 * rendering, SendMessageBatch of ten, a checkpoint per page), timed from its start to the campaign's
 * completion.
 */
export const fanoutBench: Benchmark = {
  title: `Campaign fan-out: members queued per second at ${memberCount.toLocaleString('en')} members`,
  async run() {
    const dynamo = await startDynamoDBLocal();
    const sqsServer = await startSqsServer();
    try {
      const env = new Env({
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_SQS: sqsServer.endpoint,
      });
      await createTables(env.dynamoClient());
      const { outbound } = await createQueues(sqsClient(env));
      const db = env.dynamo();
      const merchant = benchMerchant();
      await directoryStore(db, tables.directory.name).createMerchant(merchant, newApiKey().stored);
      await writeMembers(db, merchant.merchantId);
      // 10:00 in Shanghai: inside the quiet-hours window, whenever the bench runs.
      const now = new Date('2027-01-04T02:00:00.000Z');
      const templates = templatesStore(db, tables.campaigns.name);
      await templates.create({
        merchantId: merchant.merchantId,
        templateId: 'spring-sale',
        name: '春季促销',
        body: '{{name}}，您有{{points}}积分，本周末全场8折',
        category: 'marketing',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
      const campaigns = campaignsStore(db, tables.campaigns.name);
      const campaignId = '01KAB5M1GZ9Y8X7W6V5T4S3R2Q';
      await campaigns.create({
        merchantId: merchant.merchantId,
        campaignId,
        name: '春季促销',
        templateId: 'spring-sale',
        audience: { definition: { field: 'points', op: 'gte', value: 0 } },
        schedule: { kind: 'now' },
        holdoutPercent,
        testPhones: [],
        status: 'draft',
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
      await campaigns.transition(merchant.merchantId, campaignId, 'schedule', now);

      // The process's resident memory sampled through the run: DynamoDB Local is a process of its own.
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
      }, 100);
      const started = performance.now();
      const result = await fanOut(
        { merchantId: merchant.merchantId, campaignId, scheduledTime: now.toISOString() },
        () => Number.POSITIVE_INFINITY,
        { continueRun: async () => undefined, cancel: async () => undefined },
        {
          campaigns,
          directory: directoryStore(db, tables.directory.name),
          templates,
          surveys: surveysStore(db, tables.engagement.name),
          audiences: audiencesStore(db, tables.campaigns.name),
          members: audienceReader(db, tables.members.name),
          consents: consentReader(db, tables.members.name),
          outbound: sqsOutboundQueue(sqsClient(env), outbound.url),
          clock: () => now,
          pageSize: fanoutPageSize,
        },
      );
      const seconds = (performance.now() - started) / 1000;
      clearInterval(sampler);
      if (result.outcome !== 'completed')
        throw new Error(`the run did not complete: ${JSON.stringify(result)}`);
      const report = table(
        [
          { header: 'members', align: 'right' },
          { header: 'queued', align: 'right' },
          { header: 'held out', align: 'right' },
          { header: 'pages', align: 'right' },
          { header: 'seconds', align: 'right' },
          { header: 'members queued per second', align: 'right' },
          { header: 'peak RSS, MB (this process, with the SQS server)', align: 'right' },
        ],
        [
          [
            String(memberCount),
            String(result.targeted),
            String(result.heldOut),
            String(result.pages),
            seconds.toFixed(1),
            String(Math.round(result.targeted / seconds)),
            String(Math.round(peakRss / 2 ** 20)),
          ],
        ],
      );
      const figure = `campaign fan-out members queued/s, ${memberCount.toLocaleString('en')} members`;
      const value = Math.round(result.targeted / seconds).toLocaleString('en');
      return { ...report, headlines: [{ figure, value }] };
    } finally {
      await sqsServer.stop();
      await dynamo.stop();
    }
  },
};
