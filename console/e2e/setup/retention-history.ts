import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulidx';
import { defaultDemo } from '../../../local/demo-merchant';
import { requestedRun } from '../../../shared/domain/retention';
import { addDays, dateIn } from '../../../shared/domain/time';
import { Env } from '../../../shared/env';
import { tables } from '../../../shared/resources';
import type { RetentionTarget } from '../../../shared/schemas/retention';
import { newMemberItem } from '../../../shared/store/members';
import { retentionStore } from '../../../shared/store/retention';
import { historyCohorts, historyRuleName } from '../retention-history';

const day = 86_400_000;
const timeZone = 'Asia/Shanghai';

/**
 * Before the browser tests: the demo shop as it would be after two months of retention. A rule (since
 * stopped, so it texts no one now) texted 30 members and held out 20 forty-five days ago; half of the
 * texted and 2 of the held-out bought within 30 days after. The zone counts of 30 days ago and the
 * zone changes of mid-month are written as those nights' scoring left them; then a scoring run asked
 * for now scores the members for real, so the report's cohorts are the scoring's own, and any later
 * run finds the same.
 */
export async function seedRetentionHistory(url: string, dynamoEndpoint: string): Promise<void> {
  const db = new Env({ AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint }).dynamo();
  const retention = retentionStore(db, tables.retention.name);
  const { merchantId } = defaultDemo;
  const now = Date.now();
  const today = dateIn(timeZone, new Date(now));
  const texted = new Date(now - 45 * day);
  const ruleId = ulid(now - 60 * day);
  await retention.createRule({
    merchantId,
    ruleId,
    name: historyRuleName,
    zone: 'red',
    templateId: 'winback-example',
    coolDownDays: 30,
    holdoutPercent: 25,
    status: 'stopped',
    createdAt: new Date(now - 60 * day).toISOString(),
    stoppedAt: new Date(now - 20 * day).toISOString(),
  });

  const { treated, treatedRetained, holdout, holdoutRetained } = historyCohorts;
  for (let i = 0; i < treated + holdout; i++) {
    const group: RetentionTarget['group'] = i < treated ? 'treated' : 'holdout';
    const retained = group === 'treated' ? i < treatedRetained : i - treated < holdoutRetained;
    const boughtAt = new Date(retained ? texted.getTime() + 10 * day : now - 130 * day);
    const phone = `+861350000${String(i + 1).padStart(4, '0')}`;
    const { item } = newMemberItem({
      merchantId,
      memberId: `retention-history-${i + 1}`,
      phone,
      name: `留存示例${i + 1}`,
      joinedAt: new Date(now - 400 * day).toISOString(),
      joinChannel: 'import',
      joinRef: 'retention-history',
      points: 0,
      lastPurchaseAt: boughtAt.toISOString(),
      activity: {
        version: 1,
        days: { [dateIn(timeZone, boughtAt)]: { purchases: 1, spendCents: 8_800 } },
        lastActiveAt: boughtAt.toISOString(),
        targets: [{ ruleId, at: texted.toISOString(), group, eventId: `retention-history-${i + 1}` }],
      },
    });
    await db.send(new PutCommand({ TableName: tables.members.name, Item: item }));
  }

  const snapshot = (date: string, zones: Record<string, number>, transitions: Record<string, number>) =>
    retention.putSnapshot({
      merchantId,
      date,
      runId: date,
      zones,
      transitions,
      cohorts: {},
      scoredAt: new Date(`${date}T03:30:00+08:00`).toISOString(),
    });
  await snapshot(addDays(today, -30), { green: 12, blue: 9, yellow: 11, red: 6, white: 2 }, {});
  await snapshot(
    addDays(today, -15),
    { green: 14, blue: 7, yellow: 13, red: 4, white: 2 },
    { 'green>blue': 3, 'blue>yellow': 4, 'yellow>red': 2, 'red>green': 3, 'red>yellow': 1, 'blue>green': 2 },
  );

  // Scored for real: the run the merchant would start with "score now", and the job that works it.
  const runId = `manual-${ulid(now)}`;
  await retention.requestRun(requestedRun(merchantId, runId, 'manual', new Date(now)));
  const fired = await fetch(`${url}/local/schedules/retention-jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (fired.status !== 200) throw new Error(`the scoring job did not run: ${await fired.text()}`);
  for (let attempt = 0; (await retention.run(merchantId, runId))?.status !== 'done'; attempt++) {
    if (attempt > 300) throw new Error(`the demo shop's scoring run ${runId} did not finish in 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
