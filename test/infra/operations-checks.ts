import type { CfnElement } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { oldestOutboundMessageSeconds, sendFailureRatePercent } from '../../infra/constructs/operations';
import type { McrmStack } from '../../infra/stack';
import { metricNames, metricsNamespace } from '../../shared/metrics';
import { type FunctionName, functions } from '../../shared/resources';

type Resource = { Type: string; Properties: Record<string, unknown>; Condition?: string };

let stack: McrmStack;
let resources: Record<string, Resource>;
let template: Template;

const idOf = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const topicAction = () => [{ Ref: idOf(stack.operations.topic) }];
const alarms = () => Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');

/**
 * The operations resources' checks, run on the stack the stack's own tests synthesize (one synthesis,
 * bundles and all, serves both).
 */
export function describeOperations(synthesized: () => { stack: McrmStack; template: Template }): void {
  beforeAll(() => {
    ({ stack, template } = synthesized());
    resources = template.toJSON().Resources;
  });

  describe('alarms, to the operations topic', () => {
    it('goes off on any message in every dead-letter queue', () => {
      // Every queue but the two the functions read is a dead-letter queue (of a queue, a subscription, a rule or an async invocation).
      const queues = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
      const main = [stack.messaging.queues.outbound, stack.messaging.queues.imports].map(idOf);
      const deadLetters = queues.map(([id]) => id).filter((id) => !main.includes(id));
      expect(deadLetters.length).toBeGreaterThanOrEqual(14);
      for (const queue of deadLetters) {
        const on = alarms().filter(
          (alarm) =>
            alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            JSON.stringify(alarm.Properties.Dimensions) ===
              JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }]),
        );
        expect(on, queue).toHaveLength(1);
        expect(on[0]?.Properties).toMatchObject({
          Namespace: 'AWS/SQS',
          Statistic: 'Maximum',
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
          AlarmActions: topicAction(),
        });
      }
      // The queues the functions read have messages in them all the time: no alarm on their depth.
      for (const queue of main) {
        const depth = alarms().filter(
          (alarm) =>
            alarm.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
            JSON.stringify(alarm.Properties.Dimensions).includes(queue),
        );
        expect(depth, queue).toEqual([]);
      }
    });

    it.each(Object.keys(functions) as FunctionName[])('goes off when %s fails or is throttled', (name) => {
      const fn = { Ref: idOf(stack.functions.byName[name]) };
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: fn }],
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          AlarmActions: topicAction(),
        });
      }
    });

    it(`goes off when more than ${sendFailureRatePercent}% of the texts sent in 15 minutes failed, from the functions' own metrics`, () => {
      const ours = (name: string, service: string) => ({
        MetricStat: {
          Metric: {
            Namespace: metricsNamespace,
            MetricName: name,
            Dimensions: [{ Name: 'service', Value: `mcrm-${service}` }],
          },
          Period: 900,
          Stat: 'Sum',
        },
        ReturnData: false,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 1,
        AlarmActions: topicAction(),
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: Match.stringLikeRegexp('100 \\* .*refused.*undelivered.*/ sent') }),
          Match.objectLike({ Id: 'sent', ...ours(metricNames.textsSent, 'send-sms') }),
          Match.objectLike({ Id: 'refused', ...ours(metricNames.textsFailed, 'send-sms') }),
          Match.objectLike({ Id: 'undelivered', ...ours(metricNames.textsFailed, 'delivery-receipts') }),
        ]),
      });
    });

    it('goes off when the oldest outbound text has waited half an hour', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [idOf(stack.messaging.queues.outbound), 'QueueName'] },
          },
        ],
        Threshold: oldestOutboundMessageSeconds,
        AlarmActions: topicAction(),
      });
      expect(oldestOutboundMessageSeconds).toBe(1800);
    });

    it("goes off when a day's texts cost more than the DailySmsSpendCeilingYuan parameter", () => {
      expect(template.toJSON().Parameters.DailySmsSpendCeilingYuan).toMatchObject({
        Type: 'Number',
        Default: 500,
        MinValue: 1,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Threshold: { Ref: 'DailySmsSpendCeilingYuan' },
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: topicAction(),
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: 'FILL(fen, 0) / 100', ReturnData: true }),
          Match.objectLike({
            Id: 'fen',
            MetricStat: Match.objectLike({
              Metric: Match.objectLike({ MetricName: metricNames.textCostFen }),
              Period: 86_400,
              Stat: 'Sum',
            }),
          }),
        ]),
      });
    });

    it('mails the address of the OperationsEmail parameter, when one is given, on a topic encrypted with a key CloudWatch may use', () => {
      expect(template.toJSON().Parameters.OperationsEmail).toMatchObject({ Type: 'String', Default: '' });
      const [subscription] = Object.values(
        template.findResources('AWS::SNS::Subscription', {
          Properties: { Protocol: 'email' },
        }),
      ) as Resource[];
      expect(subscription?.Properties).toMatchObject({
        Endpoint: { Ref: 'OperationsEmail' },
        TopicArn: { Ref: idOf(stack.operations.topic) },
      });
      expect(template.toJSON().Conditions[subscription?.Condition ?? '']).toEqual({
        'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'OperationsEmail' }, ''] }],
      });
      const topic = resources[idOf(stack.operations.topic)] as Resource;
      const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(JSON.stringify(resources[keyId]?.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
      expect(resources[keyId]?.Properties.EnableKeyRotation).toBe(true);
    });
  });

  describe('the dashboard', () => {
    it('shows the same figures: texts by outcome, failure rate, spend, intents, staff commands, queued members, ledger, errors, throttles, dead letters', () => {
      const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
      const body = JSON.stringify(dashboard?.Properties.DashboardBody);
      for (const name of Object.values(metricNames)) expect(body, name).toContain(name);
      for (const figure of [
        'Throttles',
        'ApproximateAgeOfOldestMessage',
        'ApproximateNumberOfMessagesVisible',
      ]) {
        expect(body).toContain(figure);
      }
    });
  });

  describe('cdk-nag', () => {
    it('finds nothing in the operations resources', () => {
      const { violations } = new AwsSolutionsChecks().validateScope(stack.operations);
      expect(violations).toEqual([]);
    });
  });
}
