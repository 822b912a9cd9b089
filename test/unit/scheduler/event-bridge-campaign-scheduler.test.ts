import { describe, expect, it } from 'vitest';
import type { RunContinuation } from '../../../shared/scheduler/campaign-scheduler';
import {
  campaignScheduleInput,
  continuationInput,
} from '../../../shared/scheduler/event-bridge-campaign-scheduler';
import { maxScheduleName } from '../../../shared/scheduler/event-bridge-schedules';

const target = {
  group: 'mcrm-campaigns',
  targetArn: 'arn:aws:lambda:us-east-1:123456789012:function:campaign-fanout',
  roleArn: 'arn:aws:iam::123456789012:role/campaigns',
};
const campaignId = '01KAB5M1GZ9Y8X7W6V5T4S3R2Q';
const invokes = {
  Arn: target.targetArn,
  RoleArn: target.roleArn,
  Input: expect.any(String),
  RetryPolicy: { MaximumEventAgeInSeconds: 3 * 3600, MaximumRetryAttempts: 20 },
};

describe('CreateSchedule requests', () => {
  it("a one-off campaign fires once at its instant, in UTC, with the fan-out's input, and deletes itself", () => {
    const input = campaignScheduleInput(
      { merchantId: 'shop-1', campaignId, at: new Date('2027-03-01T01:30:00.000Z') },
      target,
    );
    expect(input).toEqual({
      Name: `shop-1--${campaignId}`,
      GroupName: 'mcrm-campaigns',
      ScheduleExpression: 'at(2027-03-01T01:30:00)',
      ScheduleExpressionTimezone: 'UTC',
      ActionAfterCompletion: 'DELETE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: invokes,
    });
    expect(JSON.parse(input.Target?.Input ?? '')).toEqual({
      merchantId: 'shop-1',
      campaignId,
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it("a recurring campaign is its cron in the merchant's time zone, kept after it fires", () => {
    const input = campaignScheduleInput(
      { merchantId: 'shop-1', campaignId, cron: { expression: '0 10 ? * FRI *', timeZone: 'Asia/Shanghai' } },
      target,
    );
    expect(input).toMatchObject({
      Name: `shop-1--${campaignId}`,
      ScheduleExpression: 'cron(0 10 ? * FRI *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
    });
    expect(input.ActionAfterCompletion).toBeUndefined();
  });

  it('a continuation carries its run, is named by its minute, and fits in a schedule name', () => {
    const continuation: RunContinuation = {
      merchantId: `m${'x'.repeat(39)}`,
      campaignId,
      runId: '2027-03-01T01:30:00.000Z',
      at: new Date('2027-03-01T01:00:00.000Z'),
    };
    const input = continuationInput(continuation, target);
    expect(input.Name?.endsWith(`--${campaignId}.20270301T0100Z`)).toBe(true);
    expect(input.Name?.length).toBeLessThanOrEqual(maxScheduleName);
    expect(input).toMatchObject({
      ScheduleExpression: 'at(2027-03-01T01:00:00)',
      ActionAfterCompletion: 'DELETE',
    });
    expect(JSON.parse(input.Target?.Input ?? '')).toEqual({
      merchantId: continuation.merchantId,
      campaignId,
      scheduledTime: '<aws.scheduler.scheduled-time>',
      runId: '2027-03-01T01:30:00.000Z',
    });
  });
});
