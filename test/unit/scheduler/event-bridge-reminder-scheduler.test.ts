import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { describe, expect, it } from 'vitest';
import {
  createScheduleInput,
  deferralInput,
  eventBridgeReminderScheduler,
} from '../../../shared/scheduler/event-bridge-reminder-scheduler';
import { ScheduleRefusedError } from '../../../shared/scheduler/reminder-scheduler';

const target = {
  group: 'mcrm-reminders',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:scheduled-reminders',
  roleArn: 'arn:aws:iam::123456789012:role/reminders',
};
const reminderId = '01KAB5M1GZ9Y8X7W6V5T4S3R2Q';

describe('CreateSchedule requests', () => {
  it('a one-off fires once at its instant, written in UTC, and deletes itself', () => {
    const input = createScheduleInput(
      { merchantId: 'shop-1', reminderId, at: '2027-03-01T01:30:00.000Z' },
      target,
    );
    expect(input).toEqual({
      Name: `shop-1--${reminderId}`,
      GroupName: 'mcrm-reminders',
      ScheduleExpression: 'at(2027-03-01T01:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: target.targetArn,
        RoleArn: target.roleArn,
        Input: expect.any(String),
        RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 20 },
      },
    });
    expect(JSON.parse(input.Target?.Input ?? '')).toEqual({
      merchantId: 'shop-1',
      reminderId,
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it('a recurring reminder is a cron schedule read in its time zone, kept until deleted', () => {
    const input = createScheduleInput(
      { merchantId: 'shop-1', reminderId, cron: { expression: '0 10 ? * MON *', timeZone: 'Asia/Shanghai' } },
      target,
    );
    expect(input).toMatchObject({
      ScheduleExpression: 'cron(0 10 ? * MON *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(input.ActionAfterCompletion).toBeUndefined();
  });

  it('a deferred send is a one-off named by the opening it waits for, carrying its occurrence', () => {
    const input = deferralInput(
      {
        merchantId: 'shop-1',
        reminderId,
        occurrence: '2027-01-04T14:00:00.000Z',
        at: new Date('2027-01-05T01:00:00.000Z'),
      },
      target,
    );
    expect(input).toMatchObject({
      Name: `shop-1--${reminderId}.20270105T0100Z`,
      ScheduleExpression: 'at(2027-01-05T01:00:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
    });
    expect(JSON.parse(input.Target?.Input ?? '')).toMatchObject({ occurrence: '2027-01-04T14:00:00.000Z' });
  });
});

describe('the adapter', () => {
  const failingWith = (name: string) =>
    ({
      send: async () => {
        throw Object.assign(new Error(`${name}: said the service`), { name });
      },
    }) as unknown as SchedulerClient;
  const at = { merchantId: 'shop-1', reminderId, at: '2027-03-01T01:30:00.000Z' };

  it('takes a schedule that already exists as created, and one already deleted as deleted', async () => {
    await expect(
      eventBridgeReminderScheduler(failingWith('ConflictException'), target).schedule(at),
    ).resolves.toBeUndefined();
    await expect(
      eventBridgeReminderScheduler(failingWith('ResourceNotFoundException'), target).cancel(
        'shop-1',
        reminderId,
      ),
    ).resolves.toBeUndefined();
  });

  it('turns a refused expression into ScheduleRefusedError and lets other failures through', async () => {
    await expect(
      eventBridgeReminderScheduler(failingWith('ValidationException'), target).schedule(at),
    ).rejects.toThrow(ScheduleRefusedError);
    await expect(
      eventBridgeReminderScheduler(failingWith('ThrottlingException'), target).schedule(at),
    ).rejects.toThrow(/ThrottlingException/);
  });
});
