import { getDailyStats } from '../functions/merchant-api/daily-stats';
import type { Request } from '../functions/merchant-api/http';
import { startDynamoDBLocal } from '../local/dynamodb-local';
import { createTables } from '../local/tables';
import { addDays } from '../shared/domain/time';
import { Env } from '../shared/env';
import { tables } from '../shared/resources';
import { dailyStatsReader, dailyStatsStore } from '../shared/store/daily-stats';
import type { Benchmark } from './benchmark';
import { benchMerchant, countItemsRead, table } from './benchmark';

const today = '2027-03-15';
/** Joins counted over the 30 days, as many members as the shop has: the figures must not read them. */
const scales = [1_000, 10_000];

/**
 * The dashboard's 30 days of figures (`GET /v1/stats/daily`) for a shop whose members joined over
 * those days, at two sizes: items DynamoDB reads for the request (every Query and Get response
 * counted), which stay one per day whatever the number of members.
 */
export const dashboardBench: Benchmark = {
  title: 'Dashboard: items read for 30 days of figures',
  async run() {
    const dynamo = await startDynamoDBLocal();
    try {
      const env = new Env({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint });
      await createTables(env.dynamoClient());
      const db = env.dynamo();
      const items = countItemsRead(db);
      const rows: string[][] = [];
      for (const [n, members] of scales.entries()) {
        const merchant = benchMerchant({ merchantId: `bench-${n}` });
        const store = dailyStatsStore(db, tables.dailyStats.name, tables.idempotency.name);
        for (let i = 0; i < members; i += 50) {
          await Promise.all(
            Array.from({ length: Math.min(50, members - i) }, (_, k) =>
              store.count(merchant.merchantId, addDays(today, -((i + k) % 30)), `join-${i + k}`, {
                joins: 1,
                pointsEarned: 100,
              }),
            ),
          );
        }
        items.read = 0;
        const request = { queryStringParameters: { to: today } } as unknown as Request;
        const answer = await getDailyStats(request, merchant, {
          dailyStats: dailyStatsReader(db, tables.dailyStats.name),
          clock: () => new Date(`${today}T12:00:00+08:00`),
        });
        const days = JSON.parse(String(answer.body)).days as { joins: number }[];
        const joins = days.reduce((sum, day) => sum + day.joins, 0);
        if (joins !== members) throw new Error(`counted ${joins} joins of ${members}`);
        rows.push([members.toLocaleString('en'), String(days.length), String(items.read)]);
      }
      const report = table(
        [
          { header: 'members (joins counted)', align: 'right' },
          { header: 'days answered', align: 'right' },
          { header: 'items read', align: 'right' },
        ],
        rows,
      );
      const most = Math.max(...rows.map((row) => Number(row[2])));
      return {
        ...report,
        headlines: [
          {
            figure: `dashboard items read for 30 days, up to ${Math.max(...scales).toLocaleString('en')} members`,
            value: `${most} (goal ≤ 35)`,
          },
        ],
      };
    } finally {
      await dynamo.stop();
    }
  },
};
