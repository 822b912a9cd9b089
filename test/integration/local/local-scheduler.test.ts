import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateScheduleCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { ulid } from 'ulidx';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localScheduler, rearmReminders, schedulerApiPath } from '../../../local/local-scheduler';
import { eventBridgeReminderScheduler } from '../../../shared/scheduler/event-bridge-reminder-scheduler';
import { scheduleName } from '../../../shared/scheduler/event-bridge-schedules';
import { ScheduleRefusedError } from '../../../shared/scheduler/reminder-scheduler';
import type { Reminder } from '../../../shared/schemas/reminder';
import { remindersStore } from '../../../shared/store/reminders';
import { newMerchant, newPhone, testEnv } from '../../support';

/**
 * The local Scheduler as the AWS SDK and the reminders adapter use it: the same client, requests and
 * errors as in AWS, schedules fired with their context attributes, and re-created from the store.
 */
const invoked: { targetArn: string; input: Record<string, string> }[] = [];
const scheduler = localScheduler(
  async (targetArn, input) => void invoked.push({ targetArn, input: JSON.parse(input) }),
);
let server: Server;
let client: SchedulerClient;
const target = {
  group: 'mcrm-reminders',
  targetArn: 'arn:aws:lambda:local:000000000000:function:scheduled-reminders',
  roleArn: 'arn:aws:iam::000000000000:role/local-reminder-scheduler',
};

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const reply = await scheduler.serve(request.method ?? 'GET', url, Buffer.concat(chunks));
    response.writeHead(reply?.status ?? 404, { 'content-type': 'application/json', ...reply?.headers });
    response.end(JSON.stringify(reply?.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new SchedulerClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}${schedulerApiPath}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
afterAll(async () => {
  await scheduler.stop();
  server?.close();
});
afterEach(() => {
  invoked.length = 0;
});

const adapter = () => eventBridgeReminderScheduler(client, target);
const named = (name: string) => scheduler.schedules().find((schedule) => schedule.name === name);

describe('the local Scheduler API', () => {
  it('creates, reads and deletes schedules as the SDK asks; again is no error through the adapter', async () => {
    const reminderId = ulid();
    const weekly = {
      merchantId: 'shop-1',
      reminderId,
      cron: { expression: '0 10 ? * MON *', timeZone: 'Asia/Shanghai' },
    };
    await adapter().schedule(weekly);
    await adapter().schedule(weekly);
    const name = scheduleName('shop-1', reminderId);
    const read = await client.send(new GetScheduleCommand({ Name: name, GroupName: target.group }));
    expect(read).toMatchObject({
      ScheduleExpression: 'cron(0 10 ? * MON *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: { Arn: target.targetArn, RoleArn: target.roleArn },
    });
    expect(named(name)?.nextAt).toMatch(/T02:00:00.000Z$/);

    await adapter().cancel('shop-1', reminderId);
    await adapter().cancel('shop-1', reminderId);
    await expect(
      client.send(new GetScheduleCommand({ Name: name, GroupName: target.group })),
    ).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });

  it('refuses what Scheduler refuses, with its errors', async () => {
    await expect(
      adapter().schedule({
        merchantId: 'shop-1',
        reminderId: ulid(),
        cron: { expression: '0 10 * * * *', timeZone: 'UTC' },
      }),
    ).rejects.toThrow(ScheduleRefusedError);
    const create = (fields: Partial<ConstructorParameters<typeof CreateScheduleCommand>[0]>) =>
      client.send(
        new CreateScheduleCommand({
          Name: 'x',
          ScheduleExpression: 'rate(5 minutes)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: target.targetArn, RoleArn: target.roleArn },
          ...fields,
        }),
      );
    await expect(create({})).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      create({ Name: 'x'.repeat(65), ScheduleExpression: 'at(2030-01-01T00:00:00)' }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await expect(
      create({ ScheduleExpression: 'at(2030-01-01T00:00:00)', ScheduleExpressionTimezone: 'Mars/Olympus' }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('fires a due one-off with the context attributes filled in, then deletes it', async () => {
    const at = new Date(Math.ceil((Date.now() + 1000) / 1000) * 1000);
    await client.send(
      new CreateScheduleCommand({
        Name: 'soon',
        GroupName: target.group,
        ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
        ScheduleExpressionTimezone: 'UTC',
        ActionAfterCompletion: 'DELETE',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: {
          Arn: target.targetArn,
          RoleArn: target.roleArn,
          Input: JSON.stringify({
            time: '<aws.scheduler.scheduled-time>',
            arn: '<aws.scheduler.schedule-arn>',
            attempt: '<aws.scheduler.attempt-number>',
            execution: '<aws.scheduler.execution-id>',
          }),
        },
      }),
    );
    scheduler.start(100);
    const deadline = Date.now() + 5000;
    while (invoked.length === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(invoked).toEqual([
      {
        targetArn: target.targetArn,
        input: {
          time: at.toISOString().replace('.000Z', 'Z'),
          arn: `arn:aws:scheduler:local:000000000000:schedule/${target.group}/soon`,
          attempt: '1',
          execution: expect.stringMatching(/^[0-9a-f]{16}$/),
        },
      },
    ]);
    expect(named('soon')).toBeUndefined();
  });

  it('fires a schedule on request as of any time, as the occurrence due then', async () => {
    const reminderId = ulid();
    await adapter().schedule({
      merchantId: 'shop-1',
      reminderId,
      cron: { expression: '0 10 * * ? *', timeZone: 'UTC' },
    });
    const name = scheduleName('shop-1', reminderId);
    const fire = (time: string) =>
      scheduler.serve(
        'POST',
        new URL(`http://x/local/schedules/${target.group}/${name}`),
        Buffer.from(JSON.stringify({ time })),
      );
    expect(await fire('2030-01-07T10:00:00Z')).toMatchObject({
      status: 200,
      body: { scheduledTime: '2030-01-07T10:00:00Z' },
    });
    await fire('2030-01-08T10:00:00Z');
    expect(invoked.map(({ input }) => input)).toEqual([
      { merchantId: 'shop-1', reminderId, scheduledTime: '2030-01-07T10:00:00Z' },
      { merchantId: 'shop-1', reminderId, scheduledTime: '2030-01-08T10:00:00Z' },
    ]);
    expect(named(name)?.nextAt).toBe('2030-01-09T10:00:00.000Z');
  });
});

describe('rearmReminders', () => {
  it('schedules again every reminder of the store still to fire, and no other', async () => {
    const env = testEnv();
    const { merchant } = await newMerchant(env);
    const store = remindersStore(env.dynamo(), env.table('care'));
    const stored = async (timing: { at: string } | { cron: { expression: string; timeZone: string } }) => {
      const reminder: Reminder = {
        merchantId: merchant.merchantId,
        reminderId: ulid(),
        to: { staff: [newPhone()] },
        template: '开会',
        status: 'scheduled',
        createdAt: new Date().toISOString(),
        ...timing,
      };
      await store.create(reminder);
      return reminder;
    };
    const once = await stored({ at: '2030-01-01T01:00:00.000Z' });
    const weekly = await stored({ cron: { expression: '0 9 ? * MON *', timeZone: 'Asia/Shanghai' } });
    const cancelled = await stored({ at: '2030-01-01T01:00:00.000Z' });
    await store.cancel(merchant.merchantId, cancelled.reminderId, new Date());

    const merchants = (async function* () {
      yield merchant;
    })();
    expect(await rearmReminders(merchants, store, adapter())).toBe(2);
    expect(named(scheduleName(merchant.merchantId, once.reminderId))?.expression).toBe(
      'at(2030-01-01T01:00:00)',
    );
    expect(named(scheduleName(merchant.merchantId, weekly.reminderId))?.expression).toBe(
      'cron(0 9 ? * MON *)',
    );
    expect(named(scheduleName(merchant.merchantId, cancelled.reminderId))).toBeUndefined();
  });
});
