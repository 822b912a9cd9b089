import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDBLocal } from '../local/dynamodb-local';
import { createTables } from '../local/tables';
import { Env } from '../shared/env';
import { tables } from '../shared/resources';
import { careSettingsSchema } from '../shared/schemas/care';
import { benefitsStore } from '../shared/store/benefits';
import { careStore } from '../shared/store/care';
import { countCardsStore } from '../shared/store/count-cards';
import { jobsStore } from '../shared/store/jobs';
import { ledgerStore } from '../shared/store/ledger';
import { membersStore, newMemberItem } from '../shared/store/members';
import { tiersStore } from '../shared/store/tiers';
import { type CareDeps, type CareText, runCare } from '../shared/use-cases/care-texts';
import type { Benchmark } from './benchmark';
import { benchMerchant, countItemsRead, table } from './benchmark';

const memberCount = 100_000;
const birthdaysToday = 100;

/**
 * The birthday job at 100,000 members, 100 of them born today: items DynamoDB reads for the run
 * (every Query, Get and Scan response counted, settings and checkpoint included) per member
 * greeted, against a full scan of the members.
 */
export const birthdayBench: Benchmark = {
  title: 'Birthday job: items read per member greeted',
  async run() {
    const dynamo = await startDynamoDBLocal();
    try {
      const env = new Env({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
      await createTables(env.dynamoClient());
      const db = env.dynamo();
      const items = countItemsRead(db);

      const merchant = benchMerchant();
      const today = '2027-03-15';
      const otherDay = (i: number) =>
        `1990-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
      for (let i = 0; i < memberCount; i += 25) {
        const items = Array.from({ length: Math.min(25, memberCount - i) }, (_, n) => {
          const index = i + n;
          const birthday = index < birthdaysToday ? `1990-${today.slice(5)}` : otherDay(index);
          return newMemberItem({
            merchantId: 'bench',
            memberId: randomUUID(),
            phone: `+86139${String(index).padStart(8, '0')}`,
            joinedAt: '2025-06-01T00:00:00.000Z',
            joinChannel: 'import',
            joinRef: 'bench',
            points: 0,
            birthday: birthday.endsWith('03-15') && index >= birthdaysToday ? '1990-03-16' : birthday,
          }).item;
        });
        await db.send(
          new BatchWriteCommand({
            RequestItems: { [tables.members.name]: items.map((Item) => ({ PutRequest: { Item } })) },
          }),
        );
      }
      const care = careStore(db, tables.care.name, tables.members.name);
      await care.saveSettings(
        'bench',
        careSettingsSchema.parse({ birthday: { template: '{{name}}，生日快乐！' } }),
        new Date(),
      );

      const deps: CareDeps = {
        care,
        members: membersStore(db, tables.members.name),
        ledger: ledgerStore(db, tables.ledger.name, tables.members.name),
        tiers: tiersStore(db, tables.members.name),
        benefits: benefitsStore(db, tables.benefits.name),
        countCards: countCardsStore(db, {
          benefits: tables.benefits.name,
          ledger: tables.ledger.name,
          members: tables.members.name,
        }),
        jobs: jobsStore(db, tables.directory.name),
      };
      const sent: CareText[] = [];
      items.read = 0;
      await runCare(
        merchant,
        new Date(`${today}T09:30:00+08:00`),
        Date.now() + 600_000,
        async (texts) => {
          sent.push(...texts);
        },
        deps,
      );
      const jobReads = items.read;

      items.read = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({ TableName: tables.members.name, ExclusiveStartKey: start }),
        );
        start = page.LastEvaluatedKey;
      } while (start);
      const scanReads = items.read;

      const perMatch = (reads: number) => (reads / sent.length).toFixed(2);
      const report = table(
        [
          { header: 'how', align: 'left' },
          { header: 'members', align: 'right' },
          { header: 'greeted', align: 'right' },
          { header: 'items read', align: 'right' },
          { header: 'items read per greeting', align: 'right' },
        ],
        [
          [
            'birthday job (byBirthday index)',
            String(memberCount),
            String(sent.length),
            String(jobReads),
            perMatch(jobReads),
          ],
          [
            'full scan of the members',
            String(memberCount),
            String(sent.length),
            String(scanReads),
            perMatch(scanReads),
          ],
        ],
      );
      const figure = `birthday job items read per greeting, ${memberCount.toLocaleString('en')} members`;
      return {
        ...report,
        headlines: [{ figure, value: `${perMatch(jobReads)} (full scan: ${perMatch(scanReads)})` }],
      };
    } finally {
      await dynamo.stop();
    }
  },
};
